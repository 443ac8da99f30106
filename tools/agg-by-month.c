/*
 * agg-by-month: sum sale records (or aggregate rows) by month of data_venda.
 * The options and the record loop are shared with the other aggregators.
 */
#include "aggcli.h"

int
main(int argc, char *argv[])
{
	return aggcli_main(argc, argv, AGGCLI_MONTH);
}

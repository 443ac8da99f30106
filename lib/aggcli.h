/*
 * The shared front end of agg-by-month, agg-by-state and agg-by-mode: the
 * options, the record loop over each input (several threads on regular
 * files), the error policy and the output.  Unlike the rest of lib/, it
 * prints messages and returns the program's exit status, since it is the
 * body of three programs that differ only in their group key.
 */
#ifndef DATAOPS_AGGCLI_H
#define DATAOPS_AGGCLI_H

enum aggcli_key {
	AGGCLI_MONTH,		/* ano_mes, from data_venda */
	AGGCLI_STATE,		/* estado, or estado + cidade with --city */
	AGGCLI_MODE		/* modalidade */
};

/* Run the aggregator keyed by key; returns the exit status. */
int aggcli_main(int argc, char *argv[], enum aggcli_key key);

#endif

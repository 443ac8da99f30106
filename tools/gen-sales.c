/*
 * gen-sales: write simulated daily motorcycle sale summaries, one JSON
 * object per line, as the original pipeline inserted into MongoDB.
 */
#include <sys/random.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "ndjson.h"

#define DEFAULT_COUNT	2	/* the original DAG's batch per run */
#define DEFAULT_DAYS	120
#define FLUSH_EVERY	4096	/* records between checks of the output */
#define MAX_CITIES	9
#define DAY_MIN		(-719162)	/* 0001-01-01 in days since 1970 */

struct city {
	const char	*name;
	uint32_t	 pop_k;		/* inhabitants, thousands (IBGE 2022) */
};

struct state {
	const char	*uf;
	const char	*name;
	uint32_t	 fleet_k;	/* motorcycles on the road, thousands */
	struct city	 cities[MAX_CITIES];	/* capital first */
};

struct model {
	const char	*name;
	int64_t		 cents;		/* list price */
	uint32_t	 share;		/* units sold per year, hundreds */
};

/*
 * Walker's alias table over integer weights: a draw costs one random
 * 64-bit word and one comparison, whatever the number of entries.
 */
struct alias {
	uint32_t	 n;
	uint64_t	*threshold;	/* accept i when low 32 bits < this */
	uint32_t	*other;
};

/* What a drawn city needs per record. */
struct dealer {
	uint32_t	 mean;		/* sales per ordinary day, hundredths */
	char		*json;		/* ,"cidade":"...","estado":"..." */
	size_t		 len;
};

struct fragment {
	char		*json;
	size_t		 len;
};

struct rng {
	uint64_t	 s[4];
};

/*
 * The tables below hold no character that JSON must escape, so their
 * fragments are written as they are.
 */
static const struct state states[] = {
	{ "AC", "Acre", 150, { { "Rio Branco", 364 },
	    { "Cruzeiro do Sul", 91 }, { "Sena Madureira", 41 },
	    { "Tarauacá", 43 }, { "Feijó", 34 } } },
	{ "AL", "Alagoas", 450, { { "Maceió", 958 }, { "Arapiraca", 234 },
	    { "Rio Largo", 93 }, { "Palmeira dos Índios", 71 },
	    { "União dos Palmares", 59 } } },
	{ "AP", "Amapá", 80, { { "Macapá", 442 }, { "Santana", 107 },
	    { "Laranjal do Jari", 35 }, { "Oiapoque", 28 } } },
	{ "AM", "Amazonas", 350, { { "Manaus", 2063 },
	    { "Itacoatiara", 103 }, { "Manacapuru", 101 },
	    { "Parintins", 96 }, { "Tefé", 73 } } },
	{ "BA", "Bahia", 1900, { { "Salvador", 2418 },
	    { "Feira de Santana", 616 }, { "Vitória da Conquista", 371 },
	    { "Camaçari", 300 }, { "Juazeiro", 237 },
	    { "Itabuna", 186 } } },
	{ "CE", "Ceará", 1800, { { "Fortaleza", 2428 }, { "Caucaia", 355 },
	    { "Juazeiro do Norte", 286 }, { "Maracanaú", 234 },
	    { "Sobral", 203 }, { "Crato", 131 } } },
	{ "DF", "Distrito Federal", 260, { { "Brasília", 1100 },
	    { "Ceilândia", 350 }, { "Samambaia", 250 },
	    { "Taguatinga", 210 }, { "Planaltina", 190 } } },
	{ "ES", "Espírito Santo", 600, { { "Vitória", 322 },
	    { "Serra", 520 }, { "Vila Velha", 467 }, { "Cariacica", 353 },
	    { "Cachoeiro de Itapemirim", 185 } } },
	{ "GO", "Goiás", 1200, { { "Goiânia", 1437 },
	    { "Aparecida de Goiânia", 527 }, { "Anápolis", 398 },
	    { "Rio Verde", 225 }, { "Águas Lindas de Goiás", 225 } } },
	{ "MA", "Maranhão", 1200, { { "São Luís", 1037 },
	    { "Imperatriz", 273 }, { "São José de Ribamar", 245 },
	    { "Timon", 174 }, { "Caxias", 156 } } },
	{ "MT", "Mato Grosso", 700, { { "Cuiabá", 650 },
	    { "Várzea Grande", 300 }, { "Rondonópolis", 244 },
	    { "Sinop", 196 }, { "Sorriso", 110 } } },
	{ "MS", "Mato Grosso do Sul", 450, { { "Campo Grande", 898 },
	    { "Dourados", 243 }, { "Três Lagoas", 132 },
	    { "Corumbá", 96 }, { "Ponta Porã", 92 } } },
	{ "MG", "Minas Gerais", 3600, { { "Belo Horizonte", 2316 },
	    { "Uberlândia", 713 }, { "Contagem", 621 },
	    { "Juiz de Fora", 540 }, { "Montes Claros", 414 },
	    { "Betim", 411 } } },
	{ "PA", "Pará", 1300, { { "Belém", 1303 }, { "Ananindeua", 478 },
	    { "Santarém", 331 }, { "Parauapebas", 267 },
	    { "Marabá", 266 } } },
	{ "PB", "Paraíba", 700, { { "João Pessoa", 833 },
	    { "Campina Grande", 419 }, { "Santa Rita", 149 },
	    { "Patos", 103 }, { "Bayeux", 82 } } },
	{ "PR", "Paraná", 1700, { { "Curitiba", 1773 },
	    { "Londrina", 555 }, { "Maringá", 409 },
	    { "Ponta Grossa", 358 }, { "Cascavel", 348 } } },
	{ "PE", "Pernambuco", 1400, { { "Recife", 1488 },
	    { "Jaboatão dos Guararapes", 643 }, { "Petrolina", 386 },
	    { "Caruaru", 378 }, { "Olinda", 349 } } },
	{ "PI", "Piauí", 800, { { "Teresina", 866 }, { "Parnaíba", 162 },
	    { "Picos", 83 }, { "Piripiri", 63 }, { "Floriano", 60 } } },
	{ "RJ", "Rio de Janeiro", 1000, { { "Rio de Janeiro", 6211 },
	    { "São Gonçalo", 896 }, { "Duque de Caxias", 808 },
	    { "Nova Iguaçu", 785 }, { "Niterói", 481 } } },
	{ "RN", "Rio Grande do Norte", 600, { { "Natal", 751 },
	    { "Mossoró", 264 }, { "Parnamirim", 252 },
	    { "São Gonçalo do Amarante", 115 }, { "Macaíba", 82 } } },
	{ "RS", "Rio Grande do Sul", 1100, { { "Porto Alegre", 1332 },
	    { "Caxias do Sul", 463 }, { "Canoas", 347 },
	    { "Pelotas", 325 }, { "Santa Maria", 271 } } },
	{ "RO", "Rondônia", 450, { { "Porto Velho", 460 },
	    { "Ji-Paraná", 124 }, { "Ariquemes", 96 },
	    { "Vilhena", 95 }, { "Cacoal", 86 } } },
	{ "RR", "Roraima", 100, { { "Boa Vista", 413 },
	    { "Rorainópolis", 31 }, { "Caracaraí", 22 },
	    { "Pacaraima", 19 } } },
	{ "SC", "Santa Catarina", 1000, { { "Florianópolis", 537 },
	    { "Joinville", 616 }, { "Blumenau", 361 }, { "São José", 270 },
	    { "Itajaí", 264 }, { "Chapecó", 254 } } },
	{ "SP", "São Paulo", 5300, { { "São Paulo", 11451 },
	    { "Guarulhos", 1291 }, { "Campinas", 1139 },
	    { "São Bernardo do Campo", 810 }, { "Santo André", 748 },
	    { "Osasco", 728 }, { "Sorocaba", 723 },
	    { "Ribeirão Preto", 698 }, { "São José dos Campos", 697 } } },
	{ "SE", "Sergipe", 350, { { "Aracaju", 602 },
	    { "Nossa Senhora do Socorro", 193 }, { "Lagarto", 105 },
	    { "Itabaiana", 103 }, { "São Cristóvão", 95 } } },
	{ "TO", "Tocantins", 350, { { "Palmas", 302 },
	    { "Araguaína", 171 }, { "Gurupi", 85 },
	    { "Porto Nacional", 64 }, { "Paraíso do Tocantins", 53 } } },
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

static const struct model models[] = {
	{ "Honda CG 160 Start", 1469000, 1100 },
	{ "Honda CG 160 Fan", 1649000, 1500 },
	{ "Honda CG 160 Titan", 1849000, 700 },
	{ "Honda Biz 125", 1379000, 1900 },
	{ "Honda Pop 110i", 1029000, 1100 },
	{ "Honda NXR 160 Bros", 1999000, 1000 },
	{ "Honda CB 300F Twister", 2299000, 280 },
	{ "Honda PCX 160", 1829000, 500 },
	{ "Honda Elite 125", 1349000, 250 },
	{ "Honda ADV 160", 2299000, 110 },
	{ "Honda XRE 190", 2349000, 220 },
	{ "Honda XRE 300 Sahara", 3059000, 270 },
	{ "Yamaha Factor 150", 1599000, 450 },
	{ "Yamaha Fazer FZ15", 1829000, 330 },
	{ "Yamaha Fazer FZ25", 2449000, 270 },
	{ "Yamaha XTZ 150 Crosser", 1999000, 390 },
	{ "Yamaha Lander 250", 2649000, 160 },
	{ "Yamaha NMax 160", 2099000, 330 },
	{ "Yamaha Fluo 125", 1499000, 110 },
	{ "Yamaha MT-03", 3399000, 45 },
	{ "Mottu Sport 110i", 1099000, 450 },
	{ "Haojue DK 160", 1499000, 160 },
	{ "Royal Enfield Hunter 350", 2199000, 80 },
	{ "Royal Enfield Meteor 350", 2449000, 30 },
	{ "BMW G 310 GS", 3599000, 55 },
	{ "BMW R 1300 GS", 10999000, 12 },
};
#define NMODELS (sizeof(models) / sizeof(models[0]))

/* À vista 30 %, Financiamento 50 %, Consórcio 20 %, in tenths. */
static const char *const modes[10] = {
	"À vista", "À vista", "À vista",
	"Financiamento", "Financiamento", "Financiamento", "Financiamento",
	"Financiamento",
	"Consórcio", "Consórcio",
};

/* Sales on that weekday, percent of an ordinary day; Sunday first. */
static const uint32_t weekday_pct[7] = { 15, 100, 98, 100, 104, 112, 65 };

/* Seasonal demand per month, percent: December high, February low. */
static const uint32_t month_pct[12] = {
	92, 80, 100, 96, 102, 98, 106, 108, 100, 106, 110, 128
};

static const char hex[] = "0123456789abcdef";

static const char digits2[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static struct alias	 state_table;
static struct alias	 city_table[NSTATES];
static struct alias	 model_table;
static struct dealer	 dealers[NSTATES][MAX_CITIES];
static struct fragment	 model_json[NMODELS];
static struct fragment	 mode_json[10];	/* modalidade to end of line */
static char		 id_head[16];	/* {"_id":" and the 8 time digits */

static void		 alias_init(struct alias *, const uint64_t *, uint32_t);
static uint32_t		 alias_draw(const struct alias *, uint64_t);
static void		 build_tables(const int *, int64_t);
static void		 generate(struct ndjson_writer *, uint64_t, uint64_t,
			    int64_t, int64_t);
static uint32_t		 isqrt(uint32_t);
static uint64_t		 mix64(uint64_t);
static int		 parse_date(const char *, int64_t *);
static int		 parse_now(const char *, int64_t *);
static void		 parse_states(const char *, int *);
static char		*put_date(char *, int64_t);
static uint64_t		 rng_next(struct rng *);
static void		 rng_seed(struct rng *, uint64_t);
static uint64_t		 splitmix64(uint64_t *);
static char		*xstrdup_printf(size_t *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
static __attribute__((noreturn)) void usage(FILE *, int);

static const struct option longopts[] = {
	{ "count",	required_argument,	NULL,	'n' },
	{ "seed",	required_argument,	NULL,	's' },
	{ "now",	required_argument,	NULL,	'N' },
	{ "start",	required_argument,	NULL,	'S' },
	{ "end",	required_argument,	NULL,	'E' },
	{ "uf",		required_argument,	NULL,	'u' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

int
main(int argc, char *argv[])
{
	struct ndjson_writer *w;
	struct timespec ts;
	uint64_t count = DEFAULT_COUNT, seed = 0;
	int64_t now_ms = 0, start = 0, end = 0;
	int has_seed = 0, has_now = 0, has_start = 0, has_end = 0;
	int selected[NSTATES];
	int ch;
	size_t i;

	/* getopt_long names the program by argv[0], err(3) by its basename */
	argv[0] = program_invocation_short_name;
	for (i = 0; i < NSTATES; i++)
		selected[i] = 1;
	while ((ch = getopt_long(argc, argv, "hn:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			count = cli_number("--count", optarg, 0, UINT64_MAX);
			break;
		case 's':
			seed = cli_number("--seed", optarg, 0, UINT64_MAX);
			has_seed = 1;
			break;
		case 'N':
			if (parse_now(optarg, &now_ms) == -1) {
				warnx("--now: invalid timestamp: %s", optarg);
				usage(stderr, EX_USAGE);
			}
			has_now = 1;
			break;
		case 'S':
			if (parse_date(optarg, &start) == -1) {
				warnx("--start: invalid date: %s", optarg);
				usage(stderr, EX_USAGE);
			}
			has_start = 1;
			break;
		case 'E':
			if (parse_date(optarg, &end) == -1) {
				warnx("--end: invalid date: %s", optarg);
				usage(stderr, EX_USAGE);
			}
			has_end = 1;
			break;
		case 'u':
			parse_states(optarg, selected);
			break;
		case 'h':
			usage(stdout, 0);
		case 'V':
			cli_version();
		default:
			usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		warnx("unexpected argument: %s", argv[0]);
		usage(stderr, EX_USAGE);
	}

	if (!has_now) {
		if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
			err(EX_SOFTWARE, "clock_gettime");
		now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	if (!has_seed && getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		err(EX_SOFTWARE, "getrandom");
	if (!has_end)
		end = now_ms / 86400000 - 1;
	if (!has_start) {
		start = end - (DEFAULT_DAYS - 1);
		if (start < DAY_MIN)
			start = DAY_MIN;
	}
	if (start > end) {
		char a[11], b[11];

		*put_date(a, start) = '\0';
		*put_date(b, end) = '\0';
		warnx("--start: %s is after the end date %s", a, b);
		usage(stderr, EX_USAGE);
	}

	build_tables(selected, now_ms);
	if ((w = ndjson_writer_new(1)) == NULL)
		err(EX_SOFTWARE, NULL);
	generate(w, count, seed, start, end);
	if (ndjson_writer_free(w) == -1)
		err(EX_IOERR, "stdout");
	return 0;
}

/*
 * Write count records.  One record is one dealer's day: a city drawn by
 * fleet and population, a day drawn uniformly, a number of sales from the
 * dealer's size, the weekday and the season, and a model drawn by market
 * share for every unit sold; the best seller is the model that reached the
 * highest count first.
 */
static void
generate(struct ndjson_writer *w, uint64_t count, uint64_t seed,
    int64_t start, int64_t end)
{
	uint32_t units[NMODELS];
	struct rng rng;
	uint64_t key, i, ndays;
	char buf[128], *p;

	rng_seed(&rng, seed);
	/*
	 * An id is the --now seconds, then key + i: like an ObjectId's
	 * random value and counter, ids rise through a run, so a table or
	 * collection keyed by _id takes them at its right edge.  With the
	 * top bit clear, key + i cannot wrap before 2^63 records.
	 */
	key = seed ^ 0x5ca1ab1ec0ffee00ULL;
	key = splitmix64(&key) >> 1;
	ndays = (uint64_t)(end - start) + 1;

	for (i = 0; i < count; i++) {
		const struct dealer *d;
		uint64_t r, id, vendas, best_units, amount, spread;
		int64_t day, faturado;
		uint32_t st, m, best, u;
		int y, mo, dd, k;

		r = rng_next(&rng);
		st = alias_draw(&state_table, r);
		r = rng_next(&rng);
		d = &dealers[st][alias_draw(&city_table[st], r)];

		r = rng_next(&rng);
		day = start + (int64_t)(((unsigned __int128)r * ndays) >> 64);
		date_from_days(day, &y, &mo, &dd);

		/* a random factor of 40 to 160 %, most often near 100 % */
		r = rng_next(&rng);
		spread = 40 + ((r >> 32) * 61 >> 32) +
		    ((r & 0xffffffff) * 61 >> 32);
		/* 1970-01-01 was a Thursday */
		amount = (uint64_t)d->mean * weekday_pct[((day % 7) + 11) % 7] *
		    month_pct[mo - 1] * spread;
		vendas = (amount + 50000000) / 100000000;
		if (vendas == 0)
			vendas = 1;

		memset(units, 0, sizeof(units));
		best = 0;
		best_units = 0;
		faturado = 0;
		for (u = 0; u < vendas; u++) {
			r = rng_next(&rng);
			m = alias_draw(&model_table, r);
			faturado += models[m].cents;
			if (++units[m] > best_units) {
				best_units = units[m];
				best = m;
			}
		}

		ndjson_put(w, id_head, sizeof(id_head));
		id = key + i;
		p = buf;
		for (k = 60; k >= 0; k -= 4)
			*p++ = hex[(id >> k) & 0xf];
		memcpy(p, "\",\"data_venda\":\"", 16);
		p = put_date(p + 16, day);
		memcpy(p, "\",\"total_vendas\":", 17);
		p += 17;
		ndjson_put(w, buf, (size_t)(p - buf));
		ndjson_put_int(w, (int64_t)vendas);
		ndjson_put(w, ",\"total_faturado\":", 18);
		ndjson_put_cents(w, faturado);
		ndjson_put(w, model_json[best].json, model_json[best].len);
		ndjson_put_int(w, (int64_t)best_units);
		ndjson_put(w, ",\"preco_total\":", 15);
		ndjson_put_cents(w, (int64_t)best_units * models[best].cents);
		ndjson_put(w, d->json, d->len);
		r = rng_next(&rng);
		k = (int)((r >> 32) * 10 >> 32);
		ndjson_put(w, mode_json[k].json, mode_json[k].len);

		if ((i + 1) % FLUSH_EVERY == 0 && ndjson_writer_flush(w) == -1)
			err(EX_IOERR, "stdout");
	}
}

/*
 * Build the alias tables for the selected states, their cities and the
 * models, and every constant piece of JSON, the timestamp included.
 */
static void
build_tables(const int *selected, int64_t now_ms)
{
	uint64_t weight[MAX_CITIES > NMODELS ? MAX_CITIES : NMODELS];
	uint64_t state_weight[NSTATES];
	char stamp[32], *p;
	int64_t day, ms;
	uint32_t secs;
	size_t s, c, k;

	for (s = 0; s < NSTATES; s++) {
		state_weight[s] = selected[s] ? states[s].fleet_k : 0;
		for (c = 0; c < MAX_CITIES && states[s].cities[c].name; c++) {
			const struct city *city = &states[s].cities[c];

			weight[c] = city->pop_k;
			dealers[s][c].mean = 300 + 30 * isqrt(city->pop_k);
			dealers[s][c].json = xstrdup_printf(&dealers[s][c].len,
			    ",\"cidade\":\"%s\",\"estado\":\"%s\"",
			    city->name, states[s].name);
		}
		alias_init(&city_table[s], weight, (uint32_t)c);
	}
	alias_init(&state_table, state_weight, NSTATES);

	for (k = 0; k < NMODELS; k++) {
		weight[k] = models[k].share;
		model_json[k].json = xstrdup_printf(&model_json[k].len,
		    ",\"moto_mais_vendida\":\"%s\","
		    "\"quantidade_moto_mais_vendida\":", models[k].name);
	}
	alias_init(&model_table, weight, NMODELS);

	day = now_ms / 86400000;
	ms = now_ms % 86400000;
	p = put_date(stamp, day);
	snprintf(p, sizeof(stamp) - 10, "T%02d:%02d:%02d.%03dZ",
	    (int)(ms / 3600000), (int)(ms / 60000 % 60),
	    (int)(ms / 1000 % 60), (int)(ms % 1000));
	for (k = 0; k < 10; k++)
		mode_json[k].json = xstrdup_printf(&mode_json[k].len,
		    ",\"modalidade\":\"%s\",\"timestamp\":\"%s\"}\n",
		    modes[k], stamp);

	secs = (uint32_t)(now_ms / 1000);
	memcpy(id_head, "{\"_id\":\"", 8);
	for (k = 0; k < 8; k++)
		id_head[8 + k] = hex[(secs >> (28 - 4 * k)) & 0xf];
}

/*
 * Parse --uf: comma-separated two-letter codes, any case.  Only the states
 * named stay selected; an unknown code is a usage error.
 */
static void
parse_states(const char *list, int *selected)
{
	const char *p = list, *comma;
	int named[NSTATES];
	size_t s, len;

	memset(named, 0, sizeof(named));
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		for (s = 0; s < NSTATES; s++)
			if (len == 2 && strncasecmp(p, states[s].uf, 2) == 0)
				break;
		if (len == 0) {
			warnx("--uf: empty state code");
			usage(stderr, EX_USAGE);
		}
		if (s == NSTATES) {
			warnx("--uf: unknown state: %.*s", (int)len, p);
			usage(stderr, EX_USAGE);
		}
		named[s] = 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	memcpy(selected, named, sizeof(named));
}

/* "YYYY-MM-DD", a real date of years 1 to 9999, into days since 1970. */
static int
parse_date(const char *s, int64_t *day)
{
	int y, m, d;

	if (date_parse(s, strlen(s), &y, &m, &d) == -1)
		return -1;
	*day = date_to_days(y, m, d);
	return 0;
}

/*
 * An ISO 8601 instant into milliseconds since the epoch.  The seconds must
 * fit an ObjectId's unsigned 32 bits; a fraction keeps its milliseconds.
 */
static int
parse_now(const char *s, int64_t *ms)
{
	int64_t secs, frac = 0, scale;
	const char *p;

	if (date_parse_instant(s, strlen(s), &secs) == -1 || secs < 0 ||
	    secs > UINT32_MAX)
		return -1;
	if (s[19] == '.')
		for (p = s + 20, scale = 100; *p >= '0' && *p <= '9' &&
		    scale > 0; p++, scale /= 10)
			frac += (*p - '0') * scale;
	*ms = secs * 1000 + frac;
	return 0;
}

/* Write day as "YYYY-MM-DD" (no NUL); return the end. */
static char *
put_date(char *p, int64_t day)
{
	int y, m, d;

	date_from_days(day, &y, &m, &d);
	memcpy(p, digits2 + 2 * (y / 100), 2);
	memcpy(p + 2, digits2 + 2 * (y % 100), 2);
	p[4] = '-';
	memcpy(p + 5, digits2 + 2 * m, 2);
	p[7] = '-';
	memcpy(p + 8, digits2 + 2 * d, 2);
	return p + 10;
}

/*
 * Vose's construction in exact integer arithmetic: entry i is scaled to
 * weight[i] * n against the total, so a full bucket equals the total.
 */
static void
alias_init(struct alias *a, const uint64_t *weight, uint32_t n)
{
	uint64_t *scaled, total = 0;
	uint32_t *small, *large, ns = 0, nl = 0, i;

	a->n = n;
	if ((a->threshold = calloc(n, sizeof(*a->threshold))) == NULL ||
	    (a->other = calloc(n, sizeof(*a->other))) == NULL ||
	    (scaled = calloc(n, sizeof(*scaled))) == NULL ||
	    (small = calloc(n, sizeof(*small))) == NULL ||
	    (large = calloc(n, sizeof(*large))) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < n; i++)
		total += weight[i];
	if (total == 0)
		errx(EX_SOFTWARE, "alias table with no weight");
	for (i = 0; i < n; i++) {
		scaled[i] = weight[i] * n;
		a->other[i] = i;
		if (scaled[i] < total)
			small[ns++] = i;
		else
			large[nl++] = i;
	}
	while (ns > 0 && nl > 0) {
		uint32_t lo = small[--ns], hi = large[--nl];

		a->threshold[lo] = (uint64_t)(((unsigned __int128)scaled[lo]
		    << 32) / total);
		a->other[lo] = hi;
		scaled[hi] -= total - scaled[lo];
		if (scaled[hi] < total)
			small[ns++] = hi;
		else
			large[nl++] = hi;
	}
	while (nl > 0)
		a->threshold[large[--nl]] = (uint64_t)1 << 32;
	while (ns > 0)
		a->threshold[small[--ns]] = (uint64_t)1 << 32;
	free(scaled);
	free(small);
	free(large);
}

/* An entry drawn from one random word: high half picks, low half accepts. */
static uint32_t
alias_draw(const struct alias *a, uint64_t r)
{
	uint32_t i = (uint32_t)(((r >> 32) * a->n) >> 32);

	return (r & 0xffffffff) < a->threshold[i] ? i : a->other[i];
}

/* xoshiro256** (D. Blackman, S. Vigna). */
static uint64_t
rng_next(struct rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t x = s[1] * 5, result = (x << 7 | x >> 57) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = s[3] << 45 | s[3] >> 19;
	return result;
}

static void
rng_seed(struct rng *rng, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
}

/* splitmix64 (S. Vigna): a full-period generator of 64-bit words. */
static uint64_t
splitmix64(uint64_t *state)
{
	return mix64(*state += 0x9e3779b97f4a7c15ULL);
}

/* A bijection of 64-bit words that scatters every input bit. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
isqrt(uint32_t v)
{
	uint32_t r = 0;

	while ((r + 1) * (r + 1) <= v)
		r++;
	return r;
}

static char *
xstrdup_printf(size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		err(EX_SOFTWARE, NULL);
	*len = (size_t)n;
	return s;
}

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: gen-sales [-n count] [-s seed] [--now timestamp] "
	    "[--start date]\n"
	    "                 [--end date] [--uf uf[,uf...]]\n");
	if (fp == stdout && (fflush(stdout) == EOF || ferror(stdout)))
		err(EX_IOERR, "stdout");
	exit(status);
}

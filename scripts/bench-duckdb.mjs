#!/usr/bin/env node
// DuckDB anchor for scripts/bench.sh: one aggregation query over an NDJSON
// file of sale records, in a fresh in-memory database, on 2 threads.
//
// usage: node scripts/bench-duckdb.mjs [--rows] FILE state|month
//        node scripts/bench-duckdb.mjs --version
//
// Prints the query's own elapsed time in seconds on the first line of
// standard output (Node start-up, module loading and opening the database
// are not counted).  With --rows, the result rows follow as NDJSON shaped
// like agg-by-state / agg-by-month output, for a cross-check.
//
// @duckdb/node-api is looked up under $BENCH_NODE_PREFIX/node_modules
// (default: bin/bench/node_modules next to this script's directory), where
// scripts/bench.sh installs it with npm.

import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.BENCH_NODE_PREFIX ||
    resolve(here, '..', 'bin', 'bench');

function usage() {
	process.stderr.write('usage: bench-duckdb.mjs [--rows] FILE state|month\n' +
	    '       bench-duckdb.mjs --version\n');
	process.exit(64);
}

function fail(msg) {
	process.stderr.write(`bench-duckdb: ${msg}\n`);
	process.exit(70);
}

let duckdb;
try {
	duckdb = createRequire(join(prefix, 'package.json'))('@duckdb/node-api');
} catch (e) {
	fail(`cannot load @duckdb/node-api from ${prefix}/node_modules: ` +
	    `${e.message.split('\n')[0]}`);
}

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
	process.stdout.write(`${duckdb.version()}\n`);
	process.exit(0);
}
let rows = false;
if (args[0] === '--rows') {
	rows = true;
	args.shift();
}
if (args.length !== 2)
	usage();
const [file, kind] = args;

// SQL string literal: double any single quote in the path.
const lit = `'${file.replaceAll("'", "''")}'`;
const src = `read_json(${lit}, format='newline_delimited')`;
const measures = 'sum(total_vendas), sum(total_faturado), ' +
    'sum(quantidade_moto_mais_vendida), count(*)';
let sql;
switch (kind) {
case 'state':
	sql = `SELECT estado, ${measures} FROM ${src} ` +
	    'GROUP BY estado ORDER BY 2 DESC';
	break;
case 'month':
	// read_json may detect data_venda as DATE: cast it to its
	// ISO 8601 text, which works for a VARCHAR column too.
	sql = 'SELECT substr(CAST(data_venda AS VARCHAR), 1, 7) AS ano_mes, ' +
	    `${measures} FROM ${src} GROUP BY 1 ORDER BY 1`;
	break;
default:
	usage();
}

let instance, conn, reader, elapsed;
try {
	instance = await duckdb.DuckDBInstance.create(':memory:');
	conn = await instance.connect();
	await conn.run('SET threads=2');
	const t0 = performance.now();
	reader = await conn.runAndReadAll(sql);
	elapsed = (performance.now() - t0) / 1000;
} catch (e) {
	fail(e.message.split('\n')[0]);
}

let out = `${elapsed.toFixed(6)}\n`;
if (rows) {
	const key = kind === 'state' ? 'estado' : 'ano_mes';
	for (const r of reader.getRows()) {
		const fat = Number(r[2]);
		out += JSON.stringify({
			[key]: String(r[0]),
			total_vendas: Number(r[1]),
			total_faturado: Math.round(fat * 100) / 100,
			quantidade_motos_vendidas: Number(r[3]),
			registros: Number(r[4]),
		}) + '\n';
	}
}
process.stdout.write(out);
conn.closeSync();
instance.closeSync();

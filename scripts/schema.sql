-- The four tables the refresh job replaces (DESIGN.md, PostgreSQL tables).
-- Run before every refresh: creating what is missing, changing nothing
-- that is there.  psql -v ON_ERROR_STOP=1 -f scripts/schema.sql

SET client_min_messages = warning;

CREATE TABLE IF NOT EXISTS vendas_por_ano_mes (
	ano_mes varchar(7) PRIMARY KEY,
	total_vendas bigint,
	total_faturado numeric(18,2),
	quantidade_motos_vendidas bigint,
	registros bigint
);

CREATE TABLE IF NOT EXISTS vendas_por_estado (
	estado text PRIMARY KEY,
	total_vendas bigint,
	total_faturado numeric(18,2),
	quantidade_motos_vendidas bigint,
	registros bigint
);

CREATE TABLE IF NOT EXISTS vendas_por_cidade (
	estado text,
	cidade text,
	total_vendas bigint,
	total_faturado numeric(18,2),
	quantidade_motos_vendidas bigint,
	registros bigint,
	PRIMARY KEY (estado, cidade)
);

CREATE TABLE IF NOT EXISTS vendas_por_modalidade (
	modalidade text PRIMARY KEY,
	total_vendas bigint,
	total_faturado numeric(18,2),
	quantidade_motos_vendidas bigint,
	registros bigint
);

-- Databases of the PostgreSQL-backed services.
--
-- Run by the postgres image's entrypoint (docker-compose.yml mounts this file into
-- /docker-entrypoint-initdb.d/, whose .sql files go through psql) and by
-- scripts/infra.sh against the local cluster on every `up`. The \gexec form makes it
-- idempotent: each CREATE DATABASE runs only when that database does not exist yet
-- (CREATE DATABASE cannot run inside a DO block or a transaction).

SELECT 'CREATE DATABASE product_service'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'product_service')\gexec

SELECT 'CREATE DATABASE order_service'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'order_service')\gexec

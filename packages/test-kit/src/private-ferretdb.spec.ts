import { MongoClient } from 'mongodb';
import { Client } from 'pg';
import { startPrivateFerretDb, PrivateFerretDb } from './private-ferretdb';
import { PrivatePostgres, startPrivatePostgres } from './private-postgres';
import { ferretDbBinary } from './repo-binaries';
import { waitFor } from './wait-for';

/**
 * FerretDB 1.24 pushes equality filters down as `_jsonb->'field' @> value`, which its own btree
 * indexes cannot serve; the embedded server (infra/ferretdb/lookup_indexes.go) adds GIN indexes
 * that can. Without them every find by _id reads the whole collection.
 */
describe('the embedded FerretDB', () => {
  let postgres: PrivatePostgres;
  let ferret: PrivateFerretDb;
  let mongo: MongoClient;
  let pg: Client;

  beforeAll(async () => {
    const binary = ferretDbBinary();
    postgres = await startPrivatePostgres();
    await postgres.createDatabase('ferretdb', { utf8C: true });
    ferret = await startPrivateFerretDb({
      binary,
      postgresUrl: `postgres://postgres:password@127.0.0.1:${postgres.port}/ferretdb`,
    });
    mongo = await MongoClient.connect(`${ferret.uri}/`);
    pg = new Client({ host: '127.0.0.1', port: postgres.port, user: 'postgres', password: 'password', database: 'ferretdb' });
    await pg.connect();
  }, 120_000);

  afterAll(async () => {
    await mongo?.close();
    await pg?.end();
    await ferret?.close();
    await postgres?.close();
  });

  /** Index scans PostgreSQL made on the collection's table, by any index. */
  const indexScans = async (schema: string): Promise<number> => {
    const { rows } = await pg.query<{ n: string | null }>(
      `SELECT sum(idx_scan) AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname LIKE 'items%'`,
      [schema],
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('serves finds by _id and by an indexed field from an index, not a scan of the collection', async () => {
    const items = mongo.db('lookups').collection<{ sku: string; n: number }>('items');
    await items.createIndex({ sku: 1 });
    // Enough rows that PostgreSQL, with real statistics, prefers an index to reading the table.
    await items.insertMany(Array.from({ length: 5000 }, (_, n) => ({ sku: `sku-${n}`, n })));
    const one = await items.findOne({ n: 250 });
    // Built by the server within a pass or two (every 2 s) of the index's creation.
    await waitFor(
      async () => {
        // _id and sku on the collection, _id and table on FerretDB's metadata table: all four
        // built, so no index build is left to run into the ANALYZE below.
        const { rows } = await pg.query(`SELECT 1 FROM pg_indexes WHERE schemaname = 'lookups' AND indexdef LIKE '%USING gin%'`);
        return rows.length >= 4;
      },
      { timeoutMs: 20_000, what: 'the lookup indexes' },
    );
    const { rows: tables } = await pg.query<{ t: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname = 'lookups' AND relname LIKE 'items%'`,
    );
    await pg.query(`ANALYZE ${tables[0]!.t}`);
    await pg.query('SELECT pg_stat_clear_snapshot()');
    const before = await indexScans('lookups');

    expect(await items.findOne({ _id: one!._id })).toMatchObject({ sku: 'sku-250' });
    expect(await items.findOne({ sku: 'sku-7' })).toMatchObject({ n: 7 });
    await items.updateOne({ _id: one!._id }, { $set: { n: -1 } });

    // Statistics reach the view a moment after the statement.
    await waitFor(async () => (await indexScans('lookups')) - before >= 3, { timeoutMs: 10_000, what: 'three index scans' });
  });
});

import { MongoClient } from 'mongodb';
import { managedProcess, ManagedProcess } from './managed-process';
import { getFreePort } from './ports';

export interface PrivateFerretDb {
  host: string;
  port: number;
  /** `mongodb://127.0.0.1:<port>` (append a database name). */
  uri: string;
  process: ManagedProcess;
  close(): Promise<void>;
}

export interface PrivateFerretDbOptions {
  /** The embedded FerretDB binary (`scripts/infra.sh ferretdb-bin` builds it and prints its path). */
  binary: string;
  /** Its backend: a PostgreSQL database created UTF8 with the C.UTF-8 locale. */
  postgresUrl: string;
  port?: number;
}

async function ping(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/** A MongoDB-wire server (FerretDB on PostgreSQL) of the test's own, on a free loopback port. */
export async function startPrivateFerretDb(options: PrivateFerretDbOptions): Promise<PrivateFerretDb> {
  const port = options.port ?? (await getFreePort());
  const uri = `mongodb://127.0.0.1:${port}`;
  const server = managedProcess({
    name: 'ferretdb',
    command: options.binary,
    args: [
      '-listen-addr',
      `127.0.0.1:${port}`,
      '-postgresql-url',
      options.postgresUrl,
      '-log-level',
      process.env.FERRETDB_LOG_LEVEL ?? 'error',
    ],
    ready: () => ping(uri),
  });
  await server.start();
  return { host: '127.0.0.1', port, uri, process: server, close: () => server.stop() };
}

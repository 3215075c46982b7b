import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { managedProcess, ManagedProcess } from './managed-process';
import { getFreePort } from './ports';

export interface PrivatePostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The postmaster: stop it (SIGINT fast, SIGQUIT immediate, as a crash) and start it again. */
  process: ManagedProcess;
  /** Creates a database; `utf8C` makes it UTF8 with the C.UTF-8 locale (FerretDB needs that). */
  createDatabase(name: string, options?: { utf8C?: boolean }): Promise<void>;
  /** Stops the server and deletes its data folder. */
  close(): Promise<void>;
}

/** Where PostgreSQL's server programs are: PG_BINDIR, `pg_config --bindir`, the newest /usr/lib/postgresql/N/bin. */
function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on the PATH: look in Debian's place
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (!found) throw new Error('PostgreSQL server programs (initdb, postgres) not found: install postgresql or set PG_BINDIR');
  return found;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user. */
function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, and there is no `postgres` OS user for PostgreSQL to run as (useradd --system postgres)');
  }
}

/**
 * A PostgreSQL server of the test's own: a fresh cluster (initdb) in a temporary folder, on a
 * free loopback port, with durability off (its data is thrown away). Restarting or killing it
 * disturbs nothing else on the machine.
 */
export async function startPrivatePostgres(options: { port?: number } = {}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'shop-private-pg-'));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid ?? user.uid);
  const data = join(dir, 'data');
  const port = options.port ?? (await getFreePort());
  const conn = { host: '127.0.0.1', port, user: 'postgres', password: 'password' };
  try {
    execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
      ...user,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString() ?? e.message}`);
  }
  const query = async (sql: string) => {
    const client = new Client({ ...conn, database: 'postgres', connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const server = managedProcess({
    name: 'postgres',
    command: join(bin, 'postgres'),
    // A test server: no fsync (an OS crash is not among the faults; a crash of the server keeps
    // what the OS was given), but synchronous commits, so that a killed server loses no commit it
    // acknowledged. TCP on loopback only (no socket file to place).
    args: [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'log_min_messages=warning',
    ],
    cwd: dir,
    ...user,
    ready: () => query('SELECT 1').then(() => true),
  });
  try {
    await server.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...conn,
    process: server,
    async createDatabase(name, opts = {}) {
      const how = opts.utf8C ? ` ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0` : '';
      await query(`CREATE DATABASE "${name}"${how}`);
    },
    async close() {
      await server.stop('SIGINT', 15_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

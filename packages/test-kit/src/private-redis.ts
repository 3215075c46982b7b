import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { managedProcess, ManagedProcess } from './managed-process';
import { getFreePort } from './ports';

export interface PrivateRedis {
  host: string;
  port: number;
  /** The server: kill it and start it again (it keeps nothing: no RDB, no AOF). */
  process: ManagedProcess;
  close(): Promise<void>;
}

async function pong(port: number): Promise<boolean> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A refused connection is the answer "not yet", not an error worth a log line.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } finally {
    redis.disconnect();
  }
}

/** A Redis server of the test's own, on a free loopback port, persisting nothing. */
export async function startPrivateRedis(options: { port?: number; binary?: string } = {}): Promise<PrivateRedis> {
  const port = options.port ?? (await getFreePort());
  const dir = mkdtempSync(join(tmpdir(), 'shop-private-redis-'));
  const server = managedProcess({
    name: 'redis',
    command: options.binary ?? 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
    cwd: dir,
    ready: () => pong(port),
  });
  try {
    await server.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    process: server,
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

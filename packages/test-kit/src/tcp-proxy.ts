import { once } from 'node:events';
import { createServer, Server, Socket, connect } from 'node:net';
import { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The loopback port to point the code under test at. */
  port: number;
  /**
   * The outage: every proxied connection is dropped and the port stops listening, so reconnects
   * are refused. The real server behind it (shared by other tests) is never touched.
   */
  cut(): Promise<void>;
  /**
   * An outage that ends: every proxied connection is dropped and new ones are closed as soon as
   * they open, until resume(). The port stays this proxy's, so the code under test reconnects to it.
   */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, MongoDB), for tests that need a
 * database outage of their own: point one app at the proxy, then cut() it.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let paused = false;
  const server: Server = createServer((client) => {
    if (paused) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };
  const pause = () => {
    paused = true;
    for (const socket of sockets) socket.destroy();
  };
  const resume = () => {
    paused = false;
  };
  return { port, cut: close, pause, resume, close };
}

interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Every answer is the 503 of a storage outage, naming the database as `The <database> is unavailable`. */
export function expectDatabaseUnavailable(responses: readonly HttpAnswer[], database: string): void {
  for (const res of responses) {
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, code: 'DATABASE_UNAVAILABLE', error: `The ${database} is unavailable` });
    expect(res.headers['retry-after']).toBeDefined();
  }
}

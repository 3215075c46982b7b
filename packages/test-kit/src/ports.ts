import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

// A port handed out for a process to listen on later must not come from the kernel's ephemeral
// range: until that process listens, any outgoing connection (a database pool, an HTTP client) may
// be given the same number as its local port, and the service then dies at start with EADDRINUSE.
// So ports are drawn below that range; where it cannot be read, the kernel picks (port 0).
const FLOOR = 10_000;

function ephemeralRangeStart(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > FLOOR + 1_000 ? start : undefined;
  } catch {
    return undefined;
  }
}

const rangeEnd = ephemeralRangeStart();

function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(undefined) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Holds a free loopback port open; the caller closes it before handing the number on. */
async function holdFreePort(taken: ReadonlySet<number>): Promise<Server> {
  if (rangeEnd !== undefined) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = FLOOR + Math.floor(Math.random() * (rangeEnd - FLOOR));
      if (taken.has(port)) continue;
      const server = await listenOn(port);
      if (server) return server;
    }
  }
  const server = await listenOn(0);
  if (!server) throw new Error('no free TCP port on loopback');
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TCP port free right now on loopback (for a process that must be told its port up front). */
export async function getFreePort(): Promise<number> {
  const server = await holdFreePort(new Set());
  const port = portOf(server);
  await close(server);
  return port;
}

/** `count` distinct TCP ports free right now on loopback (held open together, so none repeats). */
export async function getFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < count; i++) {
    const server = await holdFreePort(taken);
    servers.push(server);
    taken.add(portOf(server));
  }
  await Promise.all(servers.map(close));
  return [...taken];
}

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { getFreePort, getFreePorts } from './ports';

function ephemeralStart(): number {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
  return Number(low);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('free ports for services', () => {
  it('hands out a port below the ephemeral range that a service can then listen on', async () => {
    const port = await getFreePort();
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(ephemeralStart());
    await expect(canListen(port)).resolves.toBe(true);
  });

  it('hands out distinct ports, none in the ephemeral range', async () => {
    const ports = await getFreePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart());
  });

  it('never hands out a port something already listens on', async () => {
    const busy = await getFreePorts(50);
    const servers = await Promise.all(
      busy.map(
        (port) =>
          new Promise<ReturnType<typeof createServer>>((resolve) => {
            const server = createServer();
            server.listen(port, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    try {
      const handed = await getFreePorts(50);
      for (const port of handed) expect(busy).not.toContain(port);
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });
});

import { ICreateToxicBody, Proxy, Toxiproxy } from 'toxiproxy-node-client';
import { managedProcess, ManagedProcess } from './managed-process';
import { getFreePort } from './ports';

export type ToxicInput<T> = Omit<ICreateToxicBody<T>, 'toxicity'> & { toxicity?: number };

export interface ToxiproxyServer {
  /** Base URL of its HTTP API. */
  apiUrl: string;
  client: Toxiproxy;
  process: ManagedProcess;
  /** A proxy listening on loopback `port` in front of `upstream` (`host:port`). */
  createProxy(name: string, upstream: string, port: number): Promise<Proxy>;
  /** Adds a toxic to a proxy by name. */
  addToxic<T>(proxyName: string, toxic: ToxicInput<T>): Promise<void>;
  /** Removes every toxic and re-enables every proxy. */
  reset(): Promise<void>;
  /** Cuts a proxy (new connections refused, open ones closed) or restores it. */
  setEnabled(proxyName: string, enabled: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs a Toxiproxy server (the binary `scripts/lib/ensure-toxiproxy.sh` builds) on a free
 * loopback API port, driven by toxiproxy-node-client.
 */
export async function startToxiproxy(options: { binary: string; apiPort?: number }): Promise<ToxiproxyServer> {
  const apiPort = options.apiPort ?? (await getFreePort());
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const server = managedProcess({
    name: 'toxiproxy',
    command: options.binary,
    args: ['-host', '127.0.0.1', '-port', String(apiPort)],
    ready: async () => (await fetch(`${apiUrl}/version`)).ok,
  });
  await server.start();
  const client = new Toxiproxy(apiUrl);
  return {
    apiUrl,
    client,
    process: server,
    createProxy: (name, upstream, port) => client.createProxy({ name, listen: `127.0.0.1:${port}`, upstream }),
    async addToxic<T>(proxyName: string, toxic: ToxicInput<T>) {
      const proxy = await client.get(proxyName);
      await proxy.addToxic<T>({ toxicity: 1, ...toxic });
    },
    reset: () => client.reset(),
    async setEnabled(proxyName, enabled) {
      const proxy = await client.get(proxyName);
      await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    },
    close: () => server.stop(),
  };
}

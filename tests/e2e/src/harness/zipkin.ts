import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { getFreePort, waitFor } from '@shop/test-kit';

/** A span as Zipkin's API v2 returns it (the fields the tests read). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

export interface ZipkinServer {
  /** e.g. `http://127.0.0.1:41234`; spans go to `${url}/api/v2/spans`. */
  url: string;
  /** The spans of one trace so far (none yet: an empty list). */
  trace(traceId: string): Promise<ZipkinSpan[]>;
  close(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '../../../..');

/**
 * A real Zipkin server (the jar scripts/lib/ensure-zipkin.sh fetches from Maven Central once),
 * on a free loopback port with in-memory storage, for tests that read traces back.
 */
export async function startZipkin(): Promise<ZipkinServer> {
  const { stdout } = await promisify(execFile)('bash', [resolve(REPO_ROOT, 'scripts/lib/ensure-zipkin.sh'), 'fetch'], {
    maxBuffer: 1 << 20,
  });
  const jar = stdout.trim().split('\n').pop() ?? '';
  const port = await getFreePort();
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx384m', '-XX:+UseSerialGC', '-jar', jar, '--armeria.ports[0].ip=127.0.0.1', `--armeria.ports[0].port=${port}`],
    { env: { ...process.env, STORAGE_TYPE: 'mem' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-10_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    // A JVM start on a busy two-core machine: well under a minute, but not seconds.
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`zipkin exited with code ${child.exitCode}`);
        return (await fetch(`${url}/health`)).ok;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'zipkin to answer' },
    );
  } catch (err) {
    await close();
    throw new Error(`${(err as Error).message}\n--- zipkin output ---\n${output}`);
  }
  return {
    url,
    async trace(traceId) {
      const res = await fetch(`${url}/api/v2/trace/${traceId}`);
      if (res.status === 404) return [];
      if (!res.ok) throw new Error(`zipkin answered ${res.status} for trace ${traceId}`);
      return (await res.json()) as ZipkinSpan[];
    },
    close,
  };
}

/** The environment that makes a service trace everything into this Zipkin, with spans sent within a fraction of a second. */
export function tracingEnv(zipkin: ZipkinServer, serviceName: string): Record<string, string> {
  return {
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkin.url}/api/v2/spans`,
    OTEL_SERVICE_NAME: serviceName,
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
}

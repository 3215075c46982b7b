import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from './wait-for';

export interface SpawnedService {
  name: string;
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
}

export interface SpawnServiceOptions {
  name: string;
  /** The service's folder (its built `dist/main.js` is run). */
  cwd: string;
  port: number;
  env: Record<string, string>;
  /** Wait for `/health/ready` (all dependencies up) rather than `/health`. */
  waitForReady?: boolean;
  timeoutMs?: number;
}

/** Runs a built service as a real process, as in production, and waits until it answers. */
export async function spawnService(options: SpawnServiceOptions): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const exited = once(child, 'exit');
  const service: SpawnedService = {
    name: options.name,
    url,
    port: options.port,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${options.name} exited with code ${child.exitCode}`);
        const res = await fetch(`${url}${options.waitForReady ? '/health/ready' : '/health'}`);
        return res.ok;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 150, what: `${options.name} to answer` },
    );
  } catch (err) {
    await service.stop();
    throw new Error(`${(err as Error).message}\n--- ${options.name} output ---\n${output}`);
  }
  return service;
}

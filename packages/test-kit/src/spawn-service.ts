import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { waitFor } from './wait-for';

/** How a service process ended when nobody asked it to stop. */
export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it wrote before it died. */
  lastOutput: string;
}

/** The error a test fails with when a service it runs dies under it. */
export class ServiceExitedError extends Error {
  constructor(readonly exit: UnexpectedExit) {
    super(
      `${exit.name} exited during the test (${exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal}`})\n` +
        `--- the end of ${exit.name}'s output ---\n${exit.lastOutput}`,
    );
    this.name = 'ServiceExitedError';
  }
}

export interface SpawnedService {
  name: string;
  url: string;
  port: number;
  process: ChildProcess;
  /** The end of what the process wrote (up to 1 MB), for a failing test's message. */
  output(): string;
  /** The last `lines` lines of its output. */
  tail(lines?: number): string;
  /** Where its whole output is written, when `logFile` was given. */
  logFile?: string;
  /** Set once the process ended without stop() having been called. */
  unexpectedExit(): UnexpectedExit | undefined;
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
  /** How long to wait for the first answer; a crash ends the wait at once, so only a slow start waits it out. */
  timeoutMs?: number;
  /** Also append everything the process writes to this file (its folder is created). */
  logFile?: string;
  /** Called once if the process ends without stop() having been called (a crash, an exit of its own). */
  onUnexpectedExit?: (exit: UnexpectedExit) => void;
}

/** How much of a service's output is kept in memory (the end of it). */
const OUTPUT_KEPT = 1_000_000;

/** The last `count` lines of `text`. */
export function lastLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}

/** Runs a built service as a real process, as in production, and waits until it answers. */
export async function spawnService(options: SpawnServiceOptions): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log: WriteStream | undefined;
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
  }
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  let stopping = false;
  // An exit during start-up is reported by spawnService's own error, not as a death under a test.
  let started = false;
  let unexpected: UnexpectedExit | undefined;
  // 'close' (not 'exit'): the pipes are drained by then, so the last lines are in `output`.
  const closed = once(child, 'close').then(([code, signal]) => {
    log?.end();
    if (stopping || !started) return;
    unexpected = {
      name: options.name,
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      lastOutput: lastLines(output, 40),
    };
    options.onUnexpectedExit?.(unexpected);
  });
  const service: SpawnedService = {
    name: options.name,
    url,
    port: options.port,
    process: child,
    output: () => output,
    tail: (lines = 40) => lastLines(output, lines),
    logFile: options.logFile,
    unexpectedExit: () => unexpected,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await once(child, 'exit').catch(() => undefined);
        clearTimeout(timer);
      }
      await closed;
    },
  };
  try {
    // An exit ends the wait at once (waitFor takes a thrown error for "not yet").
    const outcome = await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return 'exited';
        const res = await fetch(`${url}${options.waitForReady ? '/health/ready' : '/health'}`);
        await res.body?.cancel();
        return res.ok && 'ready';
      },
      { timeoutMs: options.timeoutMs ?? 90_000, intervalMs: 150, what: `${options.name} to answer` },
    );
    if (outcome === 'exited') {
      throw new Error(
        `${options.name} exited at start (${child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`})`,
      );
    }
  } catch (err) {
    await service.stop();
    throw new Error(`${(err as Error).message}\n--- ${options.name} output ---\n${lastLines(output, 80)}`);
  }
  started = true;
  return service;
}

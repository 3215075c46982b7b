import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from './wait-for';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Run as this OS user (e.g. PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  /** True once the process serves (polled after every start). */
  ready: () => Promise<boolean>;
  startTimeoutMs?: number;
}

/**
 * A server process a test owns and may stop, freeze, kill and start again with the same
 * command line (same port, same data): the faults of a fault-injection test, done for real.
 */
export interface ManagedProcess {
  readonly name: string;
  /** The pid of the current run, undefined while stopped. */
  pid(): number | undefined;
  running(): boolean;
  /** Starts the process (again) and waits until `ready` answers true. */
  start(): Promise<void>;
  /** Sends a signal to the running process (SIGSTOP / SIGCONT to freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash: no shutdown code runs. Waits for the exit. */
  kill(): Promise<void>;
  /** The last 1 MB the process wrote, across restarts, for a failing test's message. */
  output(): string;
}

/** How much of a process's output is kept (the end of it), for the logs of a failed test. */
const OUTPUT_KEPT = 1_000_000;

export function managedProcess(options: ManagedProcessOptions): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) => {
    if (!child || !alive()) return;
    const current = child;
    // A frozen process cannot act on SIGTERM: thaw it first.
    current.kill('SIGCONT');
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return {
    name: options.name,
    pid: () => (alive() ? child?.pid : undefined),
    running: alive,
    async start() {
      if (alive()) throw new Error(`${options.name} is already running`);
      output += `\n--- ${new Date().toISOString()} starting ${options.name}\n`;
      const current = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        uid: options.uid,
        gid: options.gid,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = current;
      exited = once(current, 'exit').catch(() => undefined);
      current.stdout?.on('data', keep);
      current.stderr?.on('data', keep);
      current.on('error', (err) => keep(Buffer.from(`spawn error: ${err.message}\n`)));
      try {
        // An exit ends the wait at once (waitFor would take a thrown error for "not yet").
        const outcome = await waitFor(
          async () => (current.exitCode !== null || current.signalCode !== null ? 'exited' : (await options.ready()) && 'ready'),
          { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 100, what: `${options.name} to be ready` },
        );
        if (outcome === 'exited') throw new Error(`${options.name} exited (${current.exitCode ?? current.signalCode})`);
      } catch (err) {
        await stop('SIGKILL');
        throw new Error(`${(err as Error).message}\n--- ${options.name} output ---\n${output.slice(-4000)}`);
      }
    },
    signal(signal) {
      if (alive()) child?.kill(signal);
    },
    stop,
    kill: () => stop('SIGKILL'),
    output: () => output,
  };
}

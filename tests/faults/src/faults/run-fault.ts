import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkCheckouts } from '../checks/checkouts';
import { checkInvariants, InvariantResult } from '../checks/invariants';
import { summarise } from '../checks/outcomes';
import { waitForQuiet } from '../checks/quiet';
import type { FaultStack } from '../harness/fault-stack';
import { Basket, runCheckoutLoad } from '../load/checkout-load';
import { Customer, measureRecovery, RequestRecord, runOrderLoad } from '../load/order-load';
import type { FaultReport } from '../report/report';
import type { Fault, Profile } from './catalogue';

/** The bounds the suite holds the system to, stated once (they are in the report too). */
export interface Bounds {
  /** No request may take longer: 3 calls on a placement's path × 3 attempts × SERVICE_TIMEOUT_MS + 1 s. */
  requestDeadlineMs: number;
  /** The client gives up after this (a request still open then counts as past its deadline). */
  clientTimeoutMs: number;
  /** After the fault is reverted, an order must be accepted again within this. */
  recoveryBoundMs: number;
  /** How long the sweepers get to finish what the fault left in between. */
  quietTimeoutMs: number;
  /** Watched after quiet, for late duplicates and late sweeps. */
  settleMs: number;
}

export interface FaultRunInput {
  stack: FaultStack;
  fault: Fault;
  profile: Profile;
  bounds: Bounds;
  customers: Customer[];
  probeCustomer: Customer;
  /** Creates this fault's products; returns their ids (added to the stack-wide initial stock). */
  createProducts(): Promise<string[]>;
  initialStock: ReadonlyMap<string, number>;
  /** Where the whole output of every process goes when the fault breaks an invariant. */
  logDir: string;
}

/** Writes each process's output to `<logDir>/<fault>-<name>.log`; returns the end of each, for the report. */
function saveOutputs(logDir: string, faultId: string, processes: Record<string, { output(): string }>): Record<string, string> {
  mkdirSync(logDir, { recursive: true });
  return Object.fromEntries(
    Object.entries(processes).map(([name, p]) => {
      const output = p.output();
      writeFileSync(join(logDir, `${faultId}-${name}.log`), output);
      return [name, output.slice(-3000)];
    }),
  );
}

/** Every process of the stack by name (each replica on its own, HAProxy when it runs). */
function processesOf(stack: FaultStack): Record<string, { output(): string }> {
  const replicas = Object.values(stack.services).flatMap((s) => s.replicas.map((p) => [p.name, p] as const));
  return {
    ...Object.fromEntries(replicas),
    ...stack.servers,
    ...(stack.loadBalancer ? { haproxy: stack.loadBalancer } : {}),
  };
}

/** One fault under load: load, inject, revert, measure recovery, wait for quiet, check everything. */
export async function runFault(input: FaultRunInput): Promise<FaultReport> {
  const { stack, fault, profile, bounds } = input;
  const log: string[] = [];
  const downSpans: Array<[number, number]> = [];
  const productIds = await input.createProducts();

  const loadStarted = Date.now();
  let baskets: Basket[] = [];
  const load: Promise<RequestRecord[]> =
    fault.load === 'checkouts'
      ? runCheckoutLoad(stack.api('order'), input.customers, {
          concurrency: profile.concurrency,
          durationMs: profile.loadMs,
          maxRequests: profile.maxRequests,
          productIds,
          clientTimeoutMs: bounds.clientTimeoutMs,
          maxAttempts: 10,
        }).then((r) => {
          baskets = r.baskets;
          return r.records;
        })
      : runOrderLoad(stack.api('order'), input.customers, {
          concurrency: fault.long?.concurrency ?? profile.concurrency,
          durationMs: fault.long?.loadMs ?? profile.loadMs,
          pauseMs: fault.long?.pauseMs,
          maxRequests: profile.maxRequests,
          productIds,
          cancelRatio: 0.1,
          clientTimeoutMs: bounds.clientTimeoutMs,
        });
  const own: InvariantResult[] = [];
  await sleep(profile.faultAtMs);
  const faultStarted = Date.now();
  try {
    await fault.inject({
      stack,
      orderDown: (from, to) => downSpans.push([from, to]),
      log: (m) => log.push(`+${Date.now() - loadStarted} ms: ${m}`),
      invariant: (r) => own.push(r),
    });
  } finally {
    // Whatever happened, no toxic and no frozen process outlives its fault.
    await stack.toxiproxy.reset();
    for (const service of Object.values(stack.services)) service.signal('SIGCONT');
  }
  const faultEnded = Date.now();
  log.push(`+${faultEnded - loadStarted} ms: fault over (${faultEnded - faultStarted} ms)`);

  const recovery = await measureRecovery(stack.api('order'), input.probeCustomer, productIds, {
    since: faultEnded,
    timeoutMs: bounds.recoveryBoundMs,
    intervalMs: 200,
    clientTimeoutMs: bounds.clientTimeoutMs,
  });
  const records = [...(await load), ...recovery.attempts];
  log.push(`+${Date.now() - loadStarted} ms: load over, ${records.length} requests`);

  const orderDown = (at: number) => downSpans.some(([from, to]) => at >= from - 100 && at <= to + 1000);
  const summary = summarise(records, bounds.requestDeadlineMs, orderDown);
  const quietTimeoutMs = bounds.quietTimeoutMs + (fault.long?.drainMs ?? 0);
  const quiet = await waitForQuiet(stack, { timeoutMs: quietTimeoutMs, settleMs: bounds.settleMs });
  log.push(`+${Date.now() - loadStarted} ms: ${quiet.quiet ? 'quiet' : 'NOT quiet'} after ${quiet.waitedMs} ms`);

  const invariants: InvariantResult[] = [
    ...(await checkInvariants(stack, new Map(productIds.map((id) => [id, input.initialStock.get(id) ?? 0])), new Date(loadStarted - 1000))),
    {
      name: `no request waited past its deadline (${bounds.requestDeadlineMs} ms)`,
      held: summary.pastDeadline.length === 0,
      checked: summary.sent,
      broken: summary.pastDeadline.length,
      examples: summary.pastDeadline.slice(0, 5).map((r) => `${r.op} ${r.status} ${r.code ?? ''} took ${r.durationMs} ms`),
    },
    {
      name: 'every failure is a documented 4xx or a 502/503/504 envelope naming the dependency (never a 500)',
      held: summary.undocumented.length === 0,
      checked: summary.sent,
      broken: summary.undocumented.length,
      examples: summary.undocumented.slice(0, 5).map((r) => `${r.op} ${r.status} ${r.code ?? ''}: ${r.error ?? ''}`),
    },
    {
      name: `orders are placed again with no manual step within ${bounds.recoveryBoundMs} ms`,
      held: recovery.recoveredAfterMs !== null,
      checked: recovery.attempts.length,
      broken: recovery.recoveredAfterMs === null ? 1 : 0,
      examples:
        recovery.recoveredAfterMs === null ? recovery.attempts.slice(-3).map((r) => `${r.status} ${r.code ?? ''}: ${r.error ?? ''}`) : [],
      figures: recovery.recoveredAfterMs === null ? undefined : { recoveredAfterMs: recovery.recoveredAfterMs },
    },
    {
      name: `nothing left in between once the sweepers ran (within ${quietTimeoutMs} ms)`,
      held: quiet.quiet,
      checked: 1,
      broken: quiet.quiet ? 0 : 1,
      examples: quiet.quiet ? [] : [JSON.stringify(quiet.left)],
    },
    ...(fault.load === 'checkouts' ? await checkCheckouts(stack, baskets) : []),
    ...own,
  ];
  const { pastDeadline, undocumented, ...figures } = summary;
  const held = invariants.every((i) => i.held);
  return {
    id: fault.id,
    title: fault.title,
    log,
    load: {
      ...figures,
      pastDeadline: pastDeadline.length,
      undocumented: undocumented.length,
      undocumentedExamples: undocumented.slice(0, 10),
    },
    recovery: { recoveredAfterMs: recovery.recoveredAfterMs, probes: recovery.attempts.length, boundMs: bounds.recoveryBoundMs },
    quiet,
    invariants,
    held,
    // What the services and servers logged, to see why an invariant broke (whole, in logDir).
    serviceOutput: held ? undefined : saveOutputs(input.logDir, fault.id, processesOf(stack)),
  };
}

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@shop/test-kit';
import { startFaultStack, FaultStack } from './harness/fault-stack';
import { createProducts, registerCustomers } from './harness/shop-data';
import type { FaultSettings } from './harness/service-env';
import type { Customer } from './load/order-load';
import { profile as loadProfile } from './faults/catalogue';
import { Bounds, runFault } from './faults/run-fault';
import { RunReport, writeReport } from './report/report';

/**
 * The fault-injection suite (tests/faults/README.md). FAULTS_PROFILE=short (the default, inside
 * `npm test`) or full (`npm run test:faults`); FAULTS_ONLY=id,id runs some faults of the profile.
 */
const replicas = Number(process.env.FAULTS_REPLICAS ?? '1');
const profile = loadProfile(process.env.FAULTS_PROFILE ?? 'short', replicas);
const only = process.env.FAULTS_ONLY?.split(',').filter(Boolean);
const faults = only ? profile.faults.filter((f) => only.includes(f.id)) : profile.faults;

const settings: FaultSettings = {
  serviceTimeoutMs: 1000,
  sweepIntervalMs: 1000,
  staleAfterMs: 2000,
  sweepMarginMs: 1000,
  reservationTtlMs: 15_000,
  notifyClaimLeaseMs: 30_000,
};
const ATTEMPTS = 3;
const CALLS_ON_PATH = 3;

let stack: FaultStack;
let customers: Customer[];
let probeCustomer: Customer;
let bounds: Bounds;
const initialStock = new Map<string, number>();
const run: RunReport = {
  profile: profile.name,
  replicas,
  startedAt: new Date().toISOString(),
  commit: gitCommit(),
  settings: { ...settings },
  faults: [],
};

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const suiteStarted = Date.now();
/** Progress on stderr: a run takes minutes and says where it is. */
const note = (message: string) => process.stderr.write(`faults +${((Date.now() - suiteStarted) / 1000).toFixed(1)}s: ${message}\n`);

beforeAll(async () => {
  note(`profile ${profile.name}, ${replicas} replica(s) per service: ${faults.map((f) => f.id).join(', ')}`);
  stack = await startFaultStack(settings, note, replicas);
  const staleAfterMs = Number(stack.orderEnv.STALE_ORDER_AFTER_MS ?? settings.staleAfterMs);
  bounds = {
    requestDeadlineMs: CALLS_ON_PATH * ATTEMPTS * settings.serviceTimeoutMs + 1000,
    clientTimeoutMs: 30_000,
    recoveryBoundMs: 30_000,
    quietTimeoutMs: staleAfterMs + Math.max(settings.reservationTtlMs, settings.notifyClaimLeaseMs) + 20_000,
    settleMs: 6000,
  };
  const orderEnv = Object.fromEntries(Object.entries(stack.orderEnv).filter(([k]) => k.endsWith('_MS')));
  run.settings = { ...settings, bounds, orderTimings: orderEnv };
  note(`stack up (Order service: STALE_ORDER_AFTER_MS=${staleAfterMs})`);
  customers = await registerCustomers(stack, profile.concurrency);
  [probeCustomer] = await registerCustomers(stack, 1);
  note(`${customers.length + 1} customers registered`);
}, 300_000);

afterAll(async () => {
  run.finishedAt = new Date().toISOString();
  const written = writeReport(join(REPO_ROOT, '.data/faults'), run, replicas > 1 ? `-replicas${replicas}` : '');
  process.stdout.write(`fault-injection report: ${written.markdown} and ${written.json}\n`);
  await stack?.close();
}, 120_000);

describe(`fault injection under order load (profile ${profile.name}, ${replicas} replica(s))`, () => {
  it.each(faults.map((f) => [f.id, f] as const))(
    '%s: every invariant holds',
    async (_id, fault) => {
      const report = await runFault({
        stack,
        fault,
        profile,
        bounds,
        customers,
        probeCustomer,
        createProducts: () => createProducts(stack, profile.productsPerFault, profile.stockPerProduct, initialStock),
        initialStock,
        logDir: join(REPO_ROOT, `.data/faults/logs-${profile.name}${replicas > 1 ? `-replicas${replicas}` : ''}`),
      });
      run.faults.push(report);
      note(
        `${fault.id}: ${report.load.sent} requests, ${report.invariants.filter((i) => i.held).length}/${report.invariants.length} invariants held`,
      );
      const broken = report.invariants
        .filter((i) => !i.held)
        .map((i) => `${i.name}: ${i.broken} of ${i.checked}, e.g. ${i.examples.slice(0, 2).join('; ')}`);
      expect(broken).toEqual([]);
    },
    600_000,
  );
});

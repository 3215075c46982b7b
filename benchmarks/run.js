#!/usr/bin/env node
// npm run bench [-- options]: the stack's speed against the machine's own ceilings, in one run.
// See benchmarks/README.md for what each scenario does and how to read the figures.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { closedLoop, openLoop } = require('./lib/load');
const { CpuMeter } = require('./lib/procstat');
const { ensureStack, stopServices, processGroups, servicePids, REPO_ROOT, SHORT } = require('./lib/stack');
const { seed } = require('./lib/seed');
const { Backlog } = require('./lib/backlog');
const { MailWatch } = require('./lib/mail');
const { NotificationStore } = require('./lib/notifications');
const { MemorySampler, memoryMarks } = require('./lib/memory');
const { startServer, preparePgbench, runPgbench, pgSettings } = require('./lib/ceilings');
const { renderMarkdown, renderConsole, updateBenchmarksMd } = require('./lib/report');
const { summarizeProfiles, renderProfiles } = require('./profile-summary');

// The pipeline's arrival rates (orders/s), stepped up until the first that fails.
const DEFAULT_RATES = [30, 60, 100, 150, 200, 250, 300, 400];
// A pipeline step holds when every confirmation email is sent within this many seconds of the
// load's end, placement p99 stays under P99_LIMIT_MS, and nothing failed.
const EMAIL_DEADLINE_S = 10;
const P99_LIMIT_MS = 250;
// The large customer of orders-list-10000.
const BIG_CUSTOMER = 10_000;
const BUYERS_PER_SET = 8;

const HELP = `usage: npm run bench -- [options]
  --quick              short runs (1 s warm-up, 3 s each, 5 s pipeline steps, a 1-minute soak)
  --duration <s>       measured seconds per scenario (8; quick 3)
  --warmup <s>         warm-up seconds before each scenario (2; quick 1)
  --sustain <s>        seconds of the sustained order run (20; quick 6)
  --connections <n>    connections of the closed-loop runs (32)
  --rates <a,b,...>    the pipeline's arrival rates, orders/s (${DEFAULT_RATES.join(',')})
  --step <s>           seconds of each pipeline step (20; quick 5)
  --soak <s>           seconds of the soak (300; quick 60)
  --soak-rate <n>      the soak's orders/s (default: the pipeline's held rate of this run,
                       else of the last recorded run, else the first pipeline rate)
  --only <a,b,...>     only these scenarios (ceilings are always measured); names below,
                       and orders-list for both orders-list-*
  --label <name>       recorded in the results, to compare runs (e.g. node24, tracing)
  --profile <orders|reads>
                       instead of the scenarios: restart the services under node --cpu-prof,
                       put that load on them, stop them and summarise the profiles
  --restart            restart the services of this checkout first (e.g. after a rebuild)
  --keep-stack         leave the services running when this run started them
  --no-record          do not rewrite BENCHMARKS.md
scenarios: ${[
  'product-by-id',
  'product-list',
  'user-profile',
  'user-login',
  'orders-list-20',
  'orders-list-10000',
  'order-1-line',
  'order-5-lines',
  'order-sustained',
  'order-fixed-rate',
  'pipeline',
  'soak',
].join(', ')}`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    sustain: { type: 'string' },
    connections: { type: 'string', default: '32' },
    rates: { type: 'string' },
    step: { type: 'string' },
    soak: { type: 'string' },
    'soak-rate': { type: 'string' },
    only: { type: 'string' },
    label: { type: 'string', default: '' },
    profile: { type: 'string' },
    'keep-stack': { type: 'boolean', default: false },
    restart: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    products: { type: 'string', default: '400' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const num = (value, fallback, name) => {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got ${value})`);
  return n;
};
const OPTS = {
  warmup: num(args.warmup, args.quick ? 1 : 2, 'warmup'),
  duration: num(args.duration, args.quick ? 3 : 8, 'duration'),
  sustain: num(args.sustain, args.quick ? 6 : 20, 'sustain'),
  connections: num(args.connections, 32, 'connections'),
  products: num(args.products, 400, 'products'),
  drainTimeoutMs: args.quick ? 30_000 : 90_000,
  rates: (args.rates ? args.rates.split(',').map((r) => num(r.trim(), undefined, 'rates')) : DEFAULT_RATES).sort((a, b) => a - b),
  step: num(args.step, args.quick ? 5 : 20, 'step'),
  soak: num(args.soak, args.quick ? 60 : 300, 'soak'),
  soakRate: args['soak-rate'] === undefined ? undefined : num(args['soak-rate'], undefined, 'soak-rate'),
  // How long a pipeline step (or the soak) waits for its emails after the load, to report the
  // time even when it is over the deadline; bounded so that a stuck path ends the run.
  emailWaitMs: args.quick ? 30_000 : 120_000,
};

const env = process.env;
const URLS = {
  user: env.USER_SERVICE_URL ?? 'http://127.0.0.1:3001',
  product: env.PRODUCT_SERVICE_URL ?? 'http://127.0.0.1:3002',
  order: env.ORDER_SERVICE_URL ?? 'http://127.0.0.1:3003',
};
for (const url of Object.values(URLS)) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname))
    throw new Error(`benchmarks only target this machine, not ${url}`);
}
const PG = {
  host: env.DB_HOST ?? '127.0.0.1',
  port: Number(env.DB_PORT ?? 5432),
  user: env.DB_USERNAME ?? 'postgres',
  password: env.DB_PASSWORD ?? 'password',
  orderDatabase: 'order_service',
};
const REDIS = { host: env.REDIS_HOST ?? '127.0.0.1', port: Number(env.REDIS_PORT ?? 6379) };
const INTERNAL_KEY = (env.INTERNAL_API_KEY ?? 'workshop_internal_key_2023').split(',')[0];

const log = (msg) => console.log(`bench: ${msg}`);
const loadavg = () => os.loadavg().map((n) => Number(n.toFixed(2)));

/** Request makers: each call gives the next request, on the next product or user. */
function requestMakers(data) {
  const ids = data.productIds;
  const bearer = (user) => ({ authorization: `Bearer ${user.token}` });
  const json = { 'content-type': 'application/json' };
  let product = 0;
  let buyer = 0;
  return {
    productById: () => ({ method: 'GET', path: `/api/products/${ids[product++ % ids.length]}` }),
    productList: () => ({ method: 'GET', path: '/api/products?page=1&limit=20' }),
    profile: () => ({ method: 'GET', path: '/api/users/profile', headers: bearer(data.buyers[0]) }),
    login: () => {
      const user = data.buyers[buyer++ % data.buyers.length];
      return {
        method: 'POST',
        path: '/api/users/login',
        headers: json,
        body: JSON.stringify({ email: user.email, password: user.password }),
      };
    },
    ordersOf: (user) => () => ({ method: 'GET', path: '/api/orders?limit=20', headers: bearer(user) }),
    // Consecutive orders take consecutive products: with N products, N / lines orders pass
    // before one comes back, far more than are ever in flight, so no order waits on another's
    // row lock and none runs out of stock. `buyers` (default: the 8 shared buyers) lets a
    // pipeline step or the soak place its orders as users of its own.
    order:
      (lines, buyers = data.buyers) =>
      () => {
        const first = product;
        product = (product + lines) % ids.length;
        const items = Array.from({ length: lines }, (_, k) => ({ productId: ids[(first + k) % ids.length], quantity: 1 }));
        return {
          method: 'POST',
          path: '/api/orders',
          headers: { ...json, ...bearer(buyers[buyer++ % buyers.length]) },
          body: JSON.stringify({ items }),
        };
      },
  };
}

/** Warm-up, then the measured run with CPU and memory read around it. */
async function measure(name, { url, next, groups = processGroups, afterLoad, rate, seconds = OPTS.duration }) {
  const run = (secs) =>
    rate ? openLoop({ url, rate, seconds: secs, next }) : closedLoop({ url, connections: OPTS.connections, seconds: secs, next });
  process.stdout.write(`bench: ${name} ...`);
  await run(OPTS.warmup);
  if (afterLoad) await afterLoad.beforeMeasure?.();
  const load = loadavg();
  const meter = new CpuMeter(groups);
  const from = Date.now();
  const result = await run(seconds);
  const until = Date.now();
  const extra = afterLoad ? await afterLoad.after(result) : {};
  const { cpuMs, peakRssMb } = meter.stop();
  const row = { name, ...result, ...extra, cpuMs, peakRssMb, loadavg: load, window: { from, until } };
  row.cpuMsPerRequest = Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, result.ok ? v / result.ok : NaN]));
  console.log(` ${Math.round(row.rps)} req/s, p99 ${Math.round(row.p99)} ms, errors ${row.errors}`);
  return row;
}

async function ceilings(rows) {
  for (const [name, file, pathOf] of [
    ['ceiling: bare node:http', 'bare-http.js', () => '/'],
    ['ceiling: bare Express 5', 'bare-express.js', (i) => `/item/${i}`],
  ]) {
    const server = await startServer(file);
    let i = 0;
    try {
      rows.push(
        await measure(name, {
          url: `http://127.0.0.1:${server.port}`,
          next: () => ({ method: 'GET', path: pathOf(i++) }),
          groups: () => ({ server: [server.pid], bench: [process.pid] }),
        }),
      );
    } finally {
      await server.stop();
    }
  }
  await preparePgbench(PG, log);
  process.stdout.write('bench: ceiling: pgbench -N ...');
  await runPgbench(PG, { clients: OPTS.connections, seconds: OPTS.warmup });
  const load = loadavg();
  const meter = new CpuMeter(() => {
    const g = processGroups();
    return { pgbench: g.pgbench, 'pg:pgbench': g['pg:pgbench'] };
  });
  const pgb = await runPgbench(PG, { clients: OPTS.connections, seconds: OPTS.duration });
  const { cpuMs } = meter.stop();
  console.log(` ${Math.round(pgb.tps)} TPS, latency average ${pgb.latencyAvg} ms`);
  rows.push({
    name: 'ceiling: pgbench -N',
    requests: pgb.transactions,
    ok: pgb.transactions - pgb.failed,
    rps: pgb.tps,
    p50: NaN,
    p99: NaN,
    max: NaN,
    latencyAvg: pgb.latencyAvg,
    errors: pgb.failed,
    cpuMs,
    peakRssMb: {},
    loadavg: load,
    cpuMsPerRequest: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, v / pgb.transactions])),
  });
}

/** Order scenarios also wait for their notifications, inside the CPU reading (they are part of an order's cost). */
function drainAfter(backlog, { watch = false } = {}) {
  let since;
  let watcher;
  return {
    beforeMeasure: async () => {
      // What the warm-up (or an earlier scenario) left is delivered first, outside the reading.
      await backlog.drain(new Date(Date.now() - 3600_000), OPTS.drainTimeoutMs);
      since = new Date();
      if (watch) watcher = backlog.watch(since);
    },
    after: async (result) => {
      const peak = watcher ? await watcher.stop() : undefined;
      const drain = await backlog.drain(since, OPTS.drainTimeoutMs);
      if (!drain.drained) log(`notifications not drained after ${drain.seconds} s: ${JSON.stringify(drain.left)}`);
      const extra = { drain };
      if (peak) {
        extra.backlogPeak = peak;
        // Counted only while the notifications keep up: orders over the time until the last was notified.
        extra.loopRps = result.rps;
        extra.rps = drain.drained ? result.ok / (OPTS.sustain + drain.seconds) : 0;
      }
      return extra;
    },
  };
}

// --only orders-list selects both customers.
const GROUPS = { 'orders-list': ['orders-list-20', `orders-list-${BIG_CUSTOMER}`] };

async function scenarios(rows, wanted, extra) {
  const bigName = `orders-list-${BIG_CUSTOMER}`;
  const buyerSets = {};
  // Each pipeline step places its orders as buyers of its own.
  if (wanted('pipeline')) OPTS.rates.forEach((_, i) => (buyerSets[`pipeline-${i + 1}`] = BUYERS_PER_SET));
  if (wanted('soak')) buyerSets.soak = BUYERS_PER_SET;
  log(
    `seeding: ${OPTS.products} products, customers with 20${wanted(bigName) ? ` and ${BIG_CUSTOMER}` : ''} orders, 8 buyers` +
      (Object.keys(buyerSets).length ? `, ${BUYERS_PER_SET} buyers of their own for each of: ${Object.keys(buyerSets).join(', ')}` : ''),
  );
  const t0 = Date.now();
  const data = await seed({
    urls: URLS,
    internalKey: INTERNAL_KEY,
    productCount: OPTS.products,
    buyers: 8,
    bigCustomer: wanted(bigName) ? BIG_CUSTOMER : 0,
    buyerSets,
    log,
  });
  log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const make = requestMakers(data);
  const backlog = new Backlog({ pg: PG, redis: REDIS, queue: env.NOTIFICATION_QUEUE ?? 'notifications' });
  await backlog.connect();
  try {
    // The seeding's notifications first, so that they do not weigh on the first scenarios; the
    // large customer's 10,000 take minutes (the first time only), so the wait grows with them
    // (as if at 10 emails/s at the least).
    const seedWaitMs = Math.max(OPTS.drainTimeoutMs, data.placed * 100);
    if (data.placed > 500) log(`waiting for the seeding's ${data.placed} confirmation emails (at most ${seedWaitMs / 1000} s)`);
    const seeded = await backlog.drain(new Date(Date.now() - 3600_000), seedWaitMs, (left) =>
      log(`  still to deliver: ${JSON.stringify(left)}`),
    );
    if (!seeded.drained) log(`the seeding's notifications are not all delivered: ${JSON.stringify(seeded.left)}`);
    const all = [
      ['product-by-id', { url: URLS.product, next: make.productById }],
      ['product-list', { url: URLS.product, next: make.productList }],
      ['user-profile', { url: URLS.user, next: make.profile }],
      ['user-login', { url: URLS.user, next: make.login }],
      ['orders-list-20', { url: URLS.order, next: make.ordersOf(data.with20) }],
      [bigName, { url: URLS.order, next: make.ordersOf(data.withMany) }],
      ['order-1-line', { url: URLS.order, next: make.order(1), afterLoad: drainAfter(backlog) }],
      ['order-5-lines', { url: URLS.order, next: make.order(5), afterLoad: drainAfter(backlog) }],
      ['order-sustained', { url: URLS.order, next: make.order(1), afterLoad: drainAfter(backlog, { watch: true }), seconds: OPTS.sustain }],
    ];
    for (const [name, spec] of all) if (wanted(name)) rows.push(await measure(name, spec));
    const few = rows.find((r) => r.name === 'orders-list-20');
    const many = rows.find((r) => r.name === bigName);
    // The first page of a long history should cost about what a short one does.
    if (few && many) many.vsFewOrders = many.rps / few.rps;
    if (wanted('order-fixed-rate')) {
      const max = rows.find((r) => r.name === 'order-1-line')?.rps ?? rows.find((r) => r.name === 'order-sustained')?.loopRps;
      if (!max) {
        log('order-fixed-rate needs order-1-line (or order-sustained) in the same run for its rate; skipped');
      } else {
        const rate = Math.max(1, Math.round(0.7 * max));
        const row = await measure('order-fixed-rate', { url: URLS.order, next: make.order(1), rate, afterLoad: drainAfter(backlog) });
        rows.push(row);
      }
    }
    if (wanted('pipeline') || wanted('soak')) {
      const ctx = { backlog, mail: new MailWatch(), store: new NotificationStore() };
      await ctx.store.connect();
      try {
        if (wanted('pipeline')) extra.pipeline = await pipeline(rows, { make, data, ctx });
        if (wanted('soak')) extra.soak = await soak(rows, { make, data, ctx }, extra.pipeline?.heldRate);
      } finally {
        await ctx.store.close();
      }
    }
  } finally {
    await backlog.close();
  }
}
/**
 * One open-loop load of orders at `rate` for `seconds`, then the wait for their confirmation
 * emails, all inside the CPU reading (the emails are part of an order's cost). Each placed
 * order's id comes from its answer's Location header; its email is matched by that id in the
 * mail catcher's file (lib/mail.js). `onLoadStart` and `onLoadEnd` are called right before and
 * right after the load itself.
 */
async function placeAndConfirm(name, { rate, seconds, next, ctx, onLoadStart, onLoadEnd }) {
  const { backlog, mail, store } = ctx;
  // What earlier loads (or the warm-up) left is delivered first, outside the reading.
  await backlog.drain(new Date(Date.now() - 3600_000), OPTS.drainTimeoutMs);
  process.stdout.write(`bench: ${name} ...`);
  const ids = [];
  const onResponse = (res) => {
    const location = res.statusCode === 201 ? res.headers.location : undefined;
    if (location) ids.push(location.slice(location.lastIndexOf('/') + 1));
  };
  onLoadStart?.();
  const load = loadavg();
  const meter = new CpuMeter(processGroups);
  const watcher = backlog.watch(new Date(), 1000);
  const result = await openLoop({ url: URLS.order, rate, seconds, next, onResponse });
  onLoadEnd?.();
  const backlogPeak = await watcher.stop();
  const linesBefore = mail.lines;
  const wait = await mail.waitFor(ids, OPTS.emailWaitMs);
  if (ids.length && !wait.sent && mail.lines > linesBefore) {
    log(
      `\nthe mail catcher got ${mail.lines - linesBefore} mails but none matched a confirmation: has the email's text changed (lib/mail.js)?`,
    );
  }
  const { cpuMs, peakRssMb } = meter.stop();
  const notSent = await store.notSent(new Date(result.sentFrom), new Set(ids));
  mail.forget(ids);
  const emails = {
    placed: ids.length,
    sent: wait.sent,
    left: wait.left,
    allSent: ids.length > 0 && wait.allSent,
    // From the last order sent to the last email in; NaN when some never came within the wait.
    secondsAfterLoad: ids.length > 0 && wait.allSent ? Math.max(0, (wait.lastAt - result.sentUntil) / 1000) : NaN,
    waitedSeconds: (Date.now() - result.sentUntil) / 1000,
    ...notSent,
  };
  const held =
    result.errors === 0 &&
    result.p99 < P99_LIMIT_MS &&
    emails.allSent &&
    emails.secondsAfterLoad <= EMAIL_DEADLINE_S &&
    emails.failed === 0;
  const row = { name, ...result, rps: result.ok / seconds, emails, held, backlogPeak, cpuMs, peakRssMb, loadavg: load };
  row.cpuMsPerRequest = Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, result.ok ? v / result.ok : NaN]));
  const after = Number.isFinite(emails.secondsAfterLoad)
    ? `emails ${emails.secondsAfterLoad.toFixed(1)} s after`
    : `${emails.left} emails missing after ${emails.waitedSeconds.toFixed(0)} s`;
  console.log(
    ` ${ids.length} placed, p99 ${Math.round(row.p99)} ms, errors ${row.errors}, ${after}, failed ${emails.failed}: ${held ? 'held' : 'NOT held'}`,
  );
  return row;
}

/** Fixed arrival rates stepping up, each with fresh buyers, until the first that does not hold. */
async function pipeline(rows, { make, data, ctx }) {
  log(
    `pipeline: ${OPTS.rates.join(', ')} orders/s, ${OPTS.step} s each; held = every email sent within ${EMAIL_DEADLINE_S} s of the load's end, p99 < ${P99_LIMIT_MS} ms, no error`,
  );
  process.stdout.write(`bench: pipeline warm-up at ${OPTS.rates[0]}/s ...`);
  await openLoop({ url: URLS.order, rate: OPTS.rates[0], seconds: OPTS.warmup, next: make.order(1) });
  console.log(' done');
  const steps = [];
  for (const [i, rate] of OPTS.rates.entries()) {
    const row = await placeAndConfirm(`pipeline ${rate}/s`, {
      rate,
      seconds: OPTS.step,
      next: make.order(1, data.buyerSets[`pipeline-${i + 1}`]),
      ctx,
    });
    row.offeredRps = rate;
    rows.push(row);
    steps.push(row);
    if (!row.held) break;
  }
  const heldRate = steps.filter((r) => r.held).at(-1)?.offeredRps;
  const pgbench = rows.find((r) => r.name === 'ceiling: pgbench -N')?.rps;
  return { heldRate, ratioToPgbench: heldRate && pgbench ? heldRate / pgbench : NaN, pgbenchTps: pgbench, steps: steps.map((r) => r.name) };
}

/** The held rate of the last recorded complete run, when it had a pipeline. */
function recordedHeldRate() {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'benchmarks', 'results', 'latest.json'), 'utf8')).pipeline?.heldRate;
  } catch {
    return undefined;
  }
}

/** Minutes at one steady rate, sampling every process's memory: does any keep growing? */
async function soak(rows, { make, data, ctx }, heldRate) {
  const choices = [
    [OPTS.soakRate, '--soak-rate'],
    [heldRate, "this run's pipeline"],
    [recordedHeldRate(), "the last recorded run's pipeline"],
    [OPTS.rates[0], 'the first pipeline rate, none held'],
  ];
  const [rate, from] = choices.find(([r]) => r > 0);
  // Every ~10 s over 5 minutes; a short (quick) soak samples more often to keep a few points.
  const everyS = OPTS.soak >= 120 ? 10 : 5;
  const markS = OPTS.soak * 0.4; // minute 2 of 5
  log(`soak: ${rate} orders/s (${from}) for ${OPTS.soak} s, memory every ${everyS} s`);
  let sampler;
  let samples;
  const row = await placeAndConfirm(`soak ${rate}/s`, {
    rate,
    seconds: OPTS.soak,
    next: make.order(1, data.buyerSets.soak),
    ctx,
    // The sampler runs with the load only (placeAndConfirm drains what came before first).
    onLoadStart: () => (sampler = new MemorySampler(everyS * 1000)),
    onLoadEnd: () => (samples = sampler.stop()),
  });
  row.offeredRps = rate;
  rows.push(row);
  return { rate, rateFrom: from, seconds: OPTS.soak, everyS, memory: memoryMarks(samples, markS), samples, missing: sampler.missing };
}

function machine() {
  const cpus = os.cpus();
  return {
    nproc: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    kernel: os.release(),
    node: process.version,
  };
}

async function profileRun(workload, startedAt) {
  if (!['orders', 'reads'].includes(workload)) throw new Error(`--profile takes orders or reads (got ${workload})`);
  const dir = path.join(REPO_ROOT, 'benchmarks', 'results', 'profiles', `${startedAt}-${workload}`);
  fs.mkdirSync(dir, { recursive: true });
  const hadStack = Object.keys(servicePids()).length > 0;
  await ensureStack(log, { restart: true, extraEnv: { SERVICE_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${dir}` } });
  const pids = servicePids();
  const data = await seed({ urls: URLS, internalKey: INTERNAL_KEY, productCount: OPTS.products, buyers: 8, log });
  const make = requestMakers(data);
  const rows = [];
  const loads =
    workload === 'orders'
      ? [
          ['order-1-line', URLS.order, make.order(1)],
          ['order-5-lines', URLS.order, make.order(5)],
        ]
      : [
          ['product-by-id', URLS.product, make.productById],
          ['product-list', URLS.product, make.productList],
        ];
  for (const [name, url, next] of loads) rows.push(await measure(`${name} (profiled)`, { url, next }));
  const exitedAt = await stopServices(log); // the profiles are written as each process exits
  // Only the measured seconds count (not the start-up, the seeding or the warm-ups): the
  // window is placed back from each process's end, the one instant both clocks share.
  const from = Math.min(...rows.map((r) => r.window.from));
  const until = Math.max(...rows.map((r) => r.window.until));
  const byPid = Object.fromEntries(
    Object.entries(pids).map(([svc, pid]) => [
      pid,
      { name: SHORT[svc], window: { fromEndMs: exitedAt[pid] - from, untilEndMs: exitedAt[pid] - until } },
    ]),
  );
  const summary = summarizeProfiles(dir, byPid);
  const md = renderProfiles(summary, { workload, label: args.label, rows });
  const out = path.join(REPO_ROOT, 'benchmarks', 'results', `${startedAt}-profile-${workload}.md`);
  fs.writeFileSync(out, md);
  console.log(md);
  log(`profiles in ${path.relative(REPO_ROOT, dir)}; summary in ${path.relative(REPO_ROOT, out)}`);
  if (!args['no-record']) {
    const section = `profiles-${args.label || 'latest'}-${workload}`;
    updateBenchmarksMd(
      path.join(REPO_ROOT, 'BENCHMARKS.md'),
      section,
      `### Profiles: ${args.label || 'latest'} (${workload} load)

${md}`,
    );
    log(`BENCHMARKS.md: section "${section}" updated`);
  }
  if (hadStack || args['keep-stack']) await ensureStack(log);
}

async function main() {
  const startedAt = new Date().toISOString().replace(/[:.]/g, '-');
  const t0 = Date.now();
  if (args.profile) return profileRun(args.profile, startedAt);
  const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : undefined;
  const known = HELP.slice(HELP.indexOf('scenarios: ') + 11).split(', ');
  for (const name of only ?? []) {
    if (!known.includes(name) && !GROUPS[name]) throw new Error(`--only: no scenario ${name} (see --help)`);
  }
  const wanted = (name) => !only || only.has(name) || Object.entries(GROUPS).some(([g, names]) => only.has(g) && names.includes(name));
  const started = await ensureStack(log, { restart: args.restart });
  const rows = [];
  const extra = {}; // the pipeline's and the soak's summaries
  try {
    await ceilings(rows);
    await scenarios(rows, wanted, extra);
  } finally {
    if (started && !args['keep-stack']) await stopServices(log);
  }
  const result = {
    startedAt,
    label: args.label,
    mode: args.quick ? 'quick' : 'full',
    options: OPTS,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machine(),
    postgres: await pgSettings(PG),
    loadavgEnd: loadavg(),
    seconds: Math.round((Date.now() - t0) / 1000),
    rows,
    ...extra,
  };
  const dir = path.join(REPO_ROOT, 'benchmarks', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const md = renderMarkdown(result);
  // latest.* is the last complete run, the one BENCHMARKS.md shows.
  for (const base of only ? [startedAt] : [startedAt, 'latest']) {
    fs.writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, `${base}.md`), md);
  }
  console.log(`\n${renderConsole(result)}`);
  log(`results: benchmarks/results/${startedAt}.{json,md}${only ? '' : ' (and latest.*)'}, ${result.seconds} s in all`);
  if (!args['no-record'] && !only) {
    updateBenchmarksMd(path.join(REPO_ROOT, 'BENCHMARKS.md'), 'results', md);
    log('BENCHMARKS.md: results section updated');
  }
}

main().catch((err) => {
  console.error(`\nbench: ERROR: ${err.stack ?? err.message}`);
  process.exit(1);
});

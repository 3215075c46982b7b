'use strict';
// The stack under test: brought up with ./start-services.sh when needed, and the processes
// whose CPU and memory each scenario reads.
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout } = require('node:timers');
const { spawnSync } = require('node:child_process');
const { pidsMatching } = require('./procstat');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SERVICES = { 'user-service': 3001, 'product-service': 3002, 'order-service': 3003, 'notification-service': 3004 };
const SHORT = { 'user-service': 'user', 'product-service': 'product', 'order-service': 'order', 'notification-service': 'notification' };

/**
 * What the services need for a benchmark and do not have by default: the sign-up/login limit
 * (100 per 15 min per address) would refuse the seeding and the login scenario, and the
 * failed-login limiter counts logins while in flight, so 32 parallel logins of one account
 * would pass its 10.
 */
const BENCH_ENV = { AUTH_RATE_LIMIT_MAX: '1000000000', LOGIN_MAX_FAILURES: '1000000' };

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The pid listening on 127.0.0.1:<port> (from /proc/net/tcp and each process's fds), or undefined. */
function listenerPid(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of read(table).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port) inodes.add(f[9]);
    }
  }
  if (!inodes.size) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = fs.readlinkSync(`/proc/${entry}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1])) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  return -1; // someone listens, but not a process this user can see
}

/** The service processes of this checkout: { 'user-service': pid, ... } (only those running). */
function servicePids() {
  const out = {};
  for (const [name, port] of Object.entries(SERVICES)) {
    const pid = listenerPid(port);
    if (pid > 0) out[name] = pid;
  }
  return out;
}

function envOf(pid) {
  return Object.fromEntries(
    read(`/proc/${pid}/environ`)
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** A service is ours to restart when it runs dist/main.js from this checkout. */
function isOurs(name, pid) {
  const cmd = read(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');
  let cwd = '';
  try {
    cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // not ours to read
  }
  return cmd.includes('dist/main.js') && cwd === path.join(REPO_ROOT, 'services', name);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to each service of this checkout (graceful: a CPU profile is written on exit), then waits; { pid: exit time in ms }. */
async function stopServices(log) {
  const pids = servicePids();
  for (const [name, pid] of Object.entries(pids)) {
    if (!isOurs(name, pid)) throw new Error(`${name} (pid ${pid}) was not started from this checkout; not stopping it`);
  }
  if (!Object.keys(pids).length) return;
  log(`stopping ${Object.keys(pids).join(', ')} (SIGTERM)`);
  for (const pid of Object.values(pids)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  const exitedAt = {};
  for (;;) {
    for (const pid of Object.values(pids)) if (!exitedAt[pid] && !alive(pid)) exitedAt[pid] = Date.now();
    if (Object.keys(exitedAt).length === Object.keys(pids).length) break;
    if (Date.now() > deadline) throw new Error(`services still running 30 s after SIGTERM: ${Object.keys(pids).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const name of Object.keys(pids)) fs.rmSync(path.join(REPO_ROOT, '.run', `${name}.pid`), { force: true });
  return exitedAt;
}

function startServices(log, extraEnv = {}) {
  log(
    `starting the stack: ./start-services.sh (${Object.entries({ ...BENCH_ENV, ...extraEnv })
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')})`,
  );
  const res = spawnSync('./start-services.sh', [], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...BENCH_ENV, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`./start-services.sh failed (exit ${res.status})`);
}

/**
 * Brings the stack up with the benchmark's settings. Services already running keep running
 * when they have them; ours without them are restarted; anyone else's stop the run.
 * Returns whether this call started anything (so the run stops what it started).
 */
async function ensureStack(log, { extraEnv = {}, restart = false } = {}) {
  const wanted = { ...BENCH_ENV, ...extraEnv };
  const pids = servicePids();
  const running = Object.keys(pids);
  if (running.length) {
    const lacking = running.filter((name) => restart || Object.entries(wanted).some(([k, v]) => envOf(pids[name])[k] !== v));
    const foreign = lacking.filter((name) => !isOurs(name, pids[name]));
    if (foreign.length) {
      throw new Error(
        `${foreign.join(', ')} run without the benchmark's settings (${Object.keys(wanted).join(', ')}) and were not started from this checkout: stop them first`,
      );
    }
    if (lacking.length) await stopServices(log);
    else if (running.length === Object.keys(SERVICES).length) {
      log('the stack is already running with the benchmark settings');
      return false;
    }
  }
  startServices(log, extraEnv);
  return true;
}

/**
 * The processes each scenario is measured on, asked again at every reading (PostgreSQL opens
 * backends as pools grow). PostgreSQL backends are told apart by their title
 * (`postgres: <user> <database> ...`); the servers are shared with other work on this
 * machine, so their figures include whatever else ran meanwhile.
 */
function processGroups() {
  const services = servicePids();
  const groups = {};
  for (const [name, pid] of Object.entries(services)) groups[SHORT[name]] = [pid];
  const backends = (db) => pidsMatching((cmd) => cmd.startsWith(`postgres: `) && cmd.split(' ')[2] === db);
  groups['pg:product'] = backends('product_service');
  groups['pg:order'] = backends('order_service');
  groups['pg:ferretdb'] = backends('ferretdb');
  groups['pg:pgbench'] = backends('bench_pgbench');
  groups.ferretdb = pidsMatching((cmd) => /(^|\/)ferretdb/.test(cmd.split(' ')[0]));
  groups.redis = pidsMatching((cmd) => cmd.startsWith('redis-server') || cmd.includes('/redis-server '));
  groups.pgbench = pidsMatching((cmd) => /(^|\/)pgbench /.test(cmd));
  // The development mail catcher receives every confirmation email: part of an order's cost here.
  groups.mail = pidsMatching((cmd) => cmd.includes('mail-catcher.js'));
  groups.bench = [process.pid];
  return groups;
}

module.exports = { REPO_ROOT, SERVICES, SHORT, ensureStack, stopServices, servicePids, processGroups, listenerPid };

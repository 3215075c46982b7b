'use strict';
// Memory of every process of the stack over a long run (the soak), sampled from /proc: does any
// of them keep growing under a steady load? Processes are found by the port each listens on
// (the services, the mail catcher, FerretDB, Redis, PostgreSQL's postmaster).
const fs = require('node:fs');
const { setInterval, clearInterval } = require('node:timers');
const { memoryMb } = require('./procstat');
const { servicePids, listenerPid, SHORT } = require('./stack');
const { MAIL_PORT } = require('./mail');

const PORTS = {
  'mail-catcher': MAIL_PORT,
  ferretdb: Number(process.env.MONGO_PORT ?? 27017),
  redis: Number(process.env.REDIS_PORT ?? 6379),
  postgres: Number(process.env.DB_PORT ?? 5432),
};

/** Proportional set size in MB (shared pages divided among the processes sharing them). */
function pssMb(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The direct children of `parent` (PostgreSQL's backends and helpers are the postmaster's). */
function childrenOf(parent) {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** { name: pid } of the processes to watch; those not found are left out (and named in `missing`). */
function stackProcesses() {
  const pids = {};
  const missing = [];
  for (const [svc, pid] of Object.entries(servicePids())) pids[SHORT[svc]] = pid;
  for (const [name, port] of Object.entries(PORTS)) {
    const pid = listenerPid(port);
    if (pid > 0) pids[name] = pid;
    else missing.push(`${name} (:${port})`);
  }
  return { pids, missing };
}

/**
 * One sample, MB by process: RSS of each process, and for PostgreSQL the sum over the postmaster
 * and its children of their PSS (their RSS would count shared_buffers once per backend) — its
 * backends come and go with the pools, so they are found again at every sample.
 */
function sample(pids) {
  const out = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (name === 'postgres') {
      let total = 0;
      for (const p of [pid, ...childrenOf(pid)]) total += pssMb(p) ?? 0;
      out[name] = total || undefined;
    } else {
      out[name] = memoryMb(pid)?.rss;
    }
  }
  return out;
}

/** Samples every `everyMs` from now until stop(); stop() returns [{ t (s since start), mb: {name: MB} }]. */
class MemorySampler {
  constructor(everyMs = 10_000) {
    const { pids, missing } = stackProcesses();
    this.pids = pids;
    this.missing = missing;
    this.t0 = Date.now();
    this.samples = [];
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
  }

  take() {
    this.samples.push({ t: (Date.now() - this.t0) / 1000, mb: sample(this.pids) });
  }

  stop() {
    clearInterval(this.timer);
    this.take();
    return this.samples;
  }
}

/**
 * Each process's memory at the start, at `markS` (minute 2 of 5) and at the end, and the growth
 * from the mark to the end in % (the start includes the warm-up of pools and caches, so the
 * growth is measured from the mark on).
 */
function memoryMarks(samples, markS) {
  const at = (t) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]);
  const first = samples[0];
  const mark = at(markS);
  const last = samples.at(-1);
  const names = Object.keys(first.mb);
  return {
    startS: first.t,
    markS: mark.t,
    endS: last.t,
    rows: names.map((name) => {
      const m = mark.mb[name];
      const e = last.mb[name];
      return { name, start: first.mb[name], mark: m, end: e, growthPct: m && e ? ((e - m) / m) * 100 : NaN };
    }),
  };
}

module.exports = { MemorySampler, memoryMarks, stackProcesses };

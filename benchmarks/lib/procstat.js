'use strict';
// CPU time and memory of the processes under test, read from /proc (Linux only).
const fs = require('node:fs');
const { setInterval, clearInterval } = require('node:timers');

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux the project runs on (getconf CLK_TCK)

/** utime+stime of a process in ms, or undefined when it is gone. */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it start past its ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Resident memory in MB: the current value (VmRSS) and the process's peak so far (VmHWM). */
function memoryMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm')) ?? [])[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Every process id on the machine whose command line matches. */
function pidsMatching(test) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (test(cmd)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * Measures groups of processes over one scenario: CPU ms of each group (the sum over its
 * pids; a pid that appeared meanwhile counts from 0) and the highest RSS sampled.
 * `groups()` returns { name: [pid, ...] }; it is asked again at the end, so new PostgreSQL
 * backends are counted too (a backend that both started and ended within the scenario is missed).
 */
class CpuMeter {
  constructor(groups, sampleMs = 250) {
    this.groups = groups;
    this.before = this.read();
    // Memory is sampled on the processes found at the start (finding them again costs a scan of /proc).
    this.rssPids = Object.fromEntries(Object.entries(this.before).map(([name, pids]) => [name, [...pids.keys()]]));
    this.peakRss = {};
    this.timer = setInterval(() => this.sampleRss(), sampleMs);
    this.timer.unref();
    this.sampleRss();
  }

  read() {
    const out = {};
    for (const [name, pids] of Object.entries(this.groups())) {
      out[name] = new Map(pids.map((pid) => [pid, cpuMs(pid)]).filter(([, ms]) => ms !== undefined));
    }
    return out;
  }

  sampleRss() {
    for (const [name, pids] of Object.entries(this.rssPids)) {
      let total = 0;
      for (const pid of pids) total += memoryMb(pid)?.rss ?? 0;
      this.peakRss[name] = Math.max(this.peakRss[name] ?? 0, total);
    }
  }

  /** { cpuMs: {group: ms}, peakRssMb: {group: MB} } since the meter started. */
  stop() {
    clearInterval(this.timer);
    this.sampleRss();
    const after = this.read();
    const cpu = {};
    for (const [name, pids] of Object.entries(after)) {
      let ms = 0;
      for (const [pid, end] of pids) ms += end - (this.before[name]?.get(pid) ?? 0);
      cpu[name] = ms;
    }
    return { cpuMs: cpu, peakRssMb: this.peakRss };
  }
}

module.exports = { cpuMs, memoryMb, pidsMatching, CpuMeter };

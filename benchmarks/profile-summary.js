#!/usr/bin/env node
// Summarises V8 CPU profiles (.cpuprofile, as `node --cpu-prof` writes them): the top frames
// by self time and by total time, by function and by package.
//   node benchmarks/profile-summary.js <file.cpuprofile | folder> [--top N]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Where a frame's code lives: an npm package, one of ours, Node itself, or V8's bookkeeping. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith('node:') || !file.startsWith('/')) return '(node)';
  const ours = file.match(/\/(packages|services)\/([^/]+)\//);
  if (ours) return ours[1] === 'packages' ? `@shop/${ours[2]}` : ours[2];
  return '(other)';
}

function frameName({ functionName, url, lineNumber }) {
  const file = url
    ? url
        .replace(/^file:\/\//, '')
        .replace(/^.*\/node_modules\//, '')
        .replace(/^.*\/(packages|services)\//, '$1/')
    : '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

/**
 * { totalMs, busyMs, functions: [{name, pkg, selfMs, totalMs}], packages: [...] } of one
 * profile; with `window` ({ fromEndMs, untilEndMs }), only the samples taken between those
 * many ms before the profile's end.
 */
function summarize(profile, window) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const fn = new Map();
  const pkg = new Map();
  const charge = new Map();
  const entry = (map, key, init) => map.get(key) ?? map.set(key, { ...init, selfMs: 0, totalMs: 0 }).get(key);
  let totalMs = 0;
  let idleMs = 0;
  const stamps = [];
  for (let i = 0, t = profile.startTime; i < profile.samples.length; i++) stamps.push((t += profile.timeDeltas[i]));
  const inWindow = (i) =>
    !window || (stamps[i] >= profile.endTime - window.fromEndMs * 1000 && stamps[i] <= profile.endTime - window.untilEndMs * 1000);
  // timeDeltas[i] is the time before sample i; the time after it (delta i+1) is what it stood for.
  for (let i = 0; i < profile.samples.length; i++) {
    if (!inWindow(i)) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = nodes.get(profile.samples[i]);
    totalMs += ms;
    if (leaf.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const seenFn = new Set();
    const seenPkg = new Set();
    let charged = false;
    for (let id = leaf.id, first = true; id !== undefined; id = parent.get(id), first = false) {
      const cf = nodes.get(id).callFrame;
      if (cf.functionName === '(root)') break;
      const name = frameName(cf);
      const p = packageOf(cf.url, cf.functionName);
      const f = entry(fn, name, { name, pkg: p });
      const k = entry(pkg, p, { name: p });
      if (first) {
        f.selfMs += ms;
        k.selfMs += ms;
      }
      // Node's and V8's own frames are charged to the nearest package that called them.
      if (!charged && !['(node)', '(native)'].includes(p)) {
        entry(charge, p, { name: p }).selfMs += ms;
        charged = true;
      }
      if (!seenFn.has(name)) {
        f.totalMs += ms;
        seenFn.add(name);
      }
      if (!seenPkg.has(p)) {
        k.totalMs += ms;
        seenPkg.add(p);
      }
    }
    if (!charged) entry(charge, '(node only)', { name: '(node only)' }).selfMs += ms;
  }
  return { totalMs, busyMs: totalMs - idleMs, functions: [...fn.values()], packages: [...pkg.values()], charged: [...charge.values()] };
}

/** Summaries of every profile in a folder; `byPid` gives { name, window } by the pid in a file's name. */
function summarizeProfiles(dir, byPid = {}) {
  const out = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = (file.match(/^CPU\.\d+\.\d+\.(\d+)\./) ?? [])[1];
    const known = byPid[pid];
    out[known?.name ?? file] = summarize(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), known?.window);
  }
  return out;
}

function top(list, key, n, busyMs) {
  return [...list]
    .sort((a, b) => b[key] - a[key])
    .slice(0, n)
    .map(
      (e) =>
        `| ${((100 * e[key]) / busyMs).toFixed(1)}% | ${((100 * (key === 'selfMs' ? e.totalMs : e.selfMs)) / busyMs).toFixed(1)}% | \`${e.name}\` |`,
    );
}

function renderProfiles(summaries, { workload = '', label = '', rows = [], n = 12 } = {}) {
  const lines = [];
  lines.push(
    `CPU profiles (\`node --cpu-prof\`) of each service under the ${workload || 'given'} load${label ? ` (${label})` : ''}: ` +
      `${rows.map((r) => `${r.name} ${Math.round(r.rps)} req/s`).join(', ')}. ` +
      'Only the measured seconds count. Percentages are of the busy (non-idle) time of that process; "total" counts a frame once per sample it is on the stack of. ' +
      "(node) is Node's own JavaScript, (native) its C++ (socket and file writes, crypto...).",
    '',
  );
  for (const [name, s] of Object.entries(summaries).sort()) {
    lines.push(`#### ${name}: ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s profiled`, '');
    if (s.busyMs < 500) continue; // idle under this load: nothing to read
    lines.push('By package (self, total):', '');
    lines.push(
      [...s.packages]
        .sort((a, b) => b.selfMs - a.selfMs)
        .slice(0, n)
        .map((p) => `${p.name} ${((100 * p.selfMs) / s.busyMs).toFixed(1)}% / ${((100 * p.totalMs) / s.busyMs).toFixed(0)}%`)
        .join(' · '),
      '',
    );
    lines.push("Self time charged to the nearest package on the stack (Node's own frames to their caller):", '');
    lines.push(
      [...s.charged]
        .sort((a, b) => b.selfMs - a.selfMs)
        .slice(0, n)
        .map((p) => `${p.name} ${((100 * p.selfMs) / s.busyMs).toFixed(1)}%`)
        .join(' · '),
      '',
    );
    lines.push('| self | total | function (by self time) |', '| ---: | ---: | --- |', ...top(s.functions, 'selfMs', n, s.busyMs), '');
    // Node's own frames (event loop, streams, module loading) sit under everything: left out here.
    const ownFrames = s.functions.filter((f) => !['(node)', '(native)'].includes(f.pkg) && !f.name.startsWith('('));
    lines.push('| total | self | function (by total time) |', '| ---: | ---: | --- |', ...top(ownFrames, 'totalMs', n, s.busyMs), '');
  }
  return lines.join('\n');
}

module.exports = { summarize, summarizeProfiles, renderProfiles };

if (require.main === module) {
  const [target, ...rest] = process.argv.slice(2);
  if (!target) {
    console.error('usage: node benchmarks/profile-summary.js <file.cpuprofile | folder> [--top N]');
    process.exit(2);
  }
  const n = rest[0] === '--top' ? Number(rest[1]) : 12;
  const summaries = fs.statSync(target).isDirectory()
    ? summarizeProfiles(target)
    : { [path.basename(target)]: summarize(JSON.parse(fs.readFileSync(target, 'utf8'))) };
  console.log(renderProfiles(summaries, { n }));
}

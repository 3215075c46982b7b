'use strict';
// The results as a Markdown report (benchmarks/results/*.md, BENCHMARKS.md) and a console table.
const fs = require('node:fs');

const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const ratio = (n) => (Number.isFinite(n) ? (n >= 0.1 ? n.toFixed(2) : n.toFixed(3)) : '–');

function ceilingsOf(rows) {
  const rps = (prefix) => rows.find((r) => r.name.startsWith(prefix))?.rps;
  return { http: rps('ceiling: bare node'), express: rps('ceiling: bare Express'), pgbench: rps('ceiling: pgbench') };
}

/** CPU ms per request of each process group worth naming, largest first. */
function cpuLine(row, min = 0.005) {
  return Object.entries(row.cpuMsPerRequest ?? {})
    .filter(([, v]) => Number.isFinite(v) && v >= min)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(v >= 10 ? 0 : v >= 0.1 ? 1 : 2)}`)
    .join(', ');
}
const cpuTotal = (row) => Object.values(row.cpuMsPerRequest ?? {}).reduce((a, v) => a + (Number.isFinite(v) ? v : 0), 0);

function rssLine(row) {
  return Object.entries(row.peakRssMb ?? {})
    .filter(([k, v]) => v > 0 && !k.startsWith('pg:') && !['bench', 'pgbench', 'redis', 'ferretdb'].includes(k))
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
}

function note(row) {
  const parts = [];
  if (row.offeredRps) parts.push(`open loop at ${row.offeredRps} req/s offered`);
  if (row.backlogPeak) {
    parts.push(
      `closed loop ${fmt(row.loopRps)} req/s; backlog peak: outbox ${row.backlogPeak.outboxPending}, queue ${row.backlogPeak.queued}`,
    );
  }
  if (row.drain)
    parts.push(
      row.drain.drained
        ? `notifications drained ${row.drain.seconds.toFixed(1)} s after the load`
        : `NOT drained: ${JSON.stringify(row.drain.left)}`,
    );
  if (row.latencyAvg) parts.push(`latency average ${row.latencyAvg} ms`);
  if (row.errors && row.errorDetail) parts.push(`status codes ${JSON.stringify(row.errorDetail.statusCodes ?? {})}`);
  return parts.join('; ');
}

function tableRows(result) {
  const c = ceilingsOf(result.rows);
  return result.rows.map((r) => ({
    scenario: r.name,
    'req/s': fmt(r.rps),
    p50: fmt(r.p50),
    p99: fmt(r.p99),
    max: fmt(r.max),
    errors: fmt(r.errors),
    '× Express': r.name.includes('pgbench') ? '' : r.name.includes('Express') ? 'ceiling' : ratio(r.rps / c.express),
    '× pgbench': r.name.startsWith('order') ? ratio(r.rps / c.pgbench) : '',
    'CPU ms/req': fmt(cpuTotal(r), cpuTotal(r) < 1 ? 2 : 1),
  }));
}

function markdownTable(rows) {
  const cols = Object.keys(rows[0]);
  const right = (col) => !['scenario'].includes(col);
  const head = `| ${cols.join(' | ')} |`;
  const sep = `| ${cols.map((c) => (right(c) ? '---:' : '---')).join(' | ')} |`;
  return [head, sep, ...rows.map((r) => `| ${cols.map((c) => String(r[c]).replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
}

function renderMarkdown(result) {
  const m = result.machine;
  const pg = result.postgres;
  const o = result.options;
  const lines = [
    `Run ${result.startedAt}${result.label ? ` (label: ${result.label})` : ''}, ${result.mode} mode, ${result.seconds} s: \`${result.command}\``,
    '',
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}. ` +
      `Everything (load generator, services, databases) shares these cores, and so does other work on the machine: ` +
      `load average ${result.rows[0]?.loadavg?.join(' ')} at the start, ${result.loadavgEnd.join(' ')} at the end.`,
    '',
    `PostgreSQL ${pg.server_version}: shared_buffers ${pg.shared_buffers}, fsync ${pg.fsync}, synchronous_commit ${pg.synchronous_commit}, ` +
      `max_connections ${pg.max_connections}, wal_level ${pg.wal_level}, work_mem ${pg.work_mem} (${pg.connections_now} connections open at the end).`,
    '',
    `${o.connections} connections (closed loop) for ${o.duration} s after a ${o.warmup} s warm-up; the sustained run ${o.sustain} s; ` +
      `latencies in ms; errors are non-2xx answers, socket errors and timeouts; ratios are req/s over the ceiling's measured in this run.`,
    '',
    markdownTable(tableRows(result)),
    '',
    'CPU ms per request by process (utime+stime from /proc over the measured seconds; for orders including the notifications delivered after the load) and peak RSS (MB) of each service:',
    '',
    '| scenario | CPU ms per request | peak RSS MB | notes |',
    '| --- | --- | --- | --- |',
    ...result.rows.map((r) => `| ${r.name} | ${cpuLine(r) || '–'} | ${rssLine(r) || '–'} | ${note(r).replace(/\|/g, '\\|') || ''} |`),
    '',
  ];
  return lines.join('\n');
}

function renderConsole(result) {
  const rows = tableRows(result);
  const cols = Object.keys(rows[0]);
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
  const line = (r) => cols.map((c) => (c === 'scenario' ? String(r[c]).padEnd(width[c]) : String(r[c]).padStart(width[c]))).join('  ');
  const header = line(Object.fromEntries(cols.map((c) => [c, c])));
  const cpu = result.rows.map((r) => `  ${r.name.padEnd(width.scenario)}  ${cpuLine(r)}${note(r) ? `  [${note(r)}]` : ''}`);
  return [
    header,
    ...rows.map(line),
    '',
    'CPU ms per request by process:',
    ...cpu,
    '',
    `load average at the end: ${result.loadavgEnd.join(' ')}`,
  ].join('\n');
}

/** Replaces (or appends) the block between `<!-- bench:NAME -->` markers in BENCHMARKS.md. */
function updateBenchmarksMd(file, name, body) {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${body.trim()}\n${end}`;
  const at = text.indexOf(begin);
  const until = text.indexOf(end);
  if (at >= 0 && until > at) text = text.slice(0, at) + block + text.slice(until + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}

module.exports = { renderMarkdown, renderConsole, updateBenchmarksMd };

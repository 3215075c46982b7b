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

/** Orders are compared with pgbench: the pipeline's steps and the soak place orders too. */
const placesOrders = (name) => /^(order-|pipeline |soak )/.test(name);

function emailNote(e) {
  const when = Number.isFinite(e.secondsAfterLoad)
    ? `every email sent ${e.secondsAfterLoad.toFixed(1)} s after the load's end`
    : `${e.left} of ${e.placed} emails not sent ${e.waitedSeconds.toFixed(0)} s after the load's end`;
  const ended = [e.failed && `${e.failed} confirmations failed (${e.failedErrors.join('; ')})`, e.queued && `${e.queued} still queued`];
  return [when, ...ended.filter(Boolean)].join(', ');
}

function note(row) {
  const parts = [];
  if (row.offeredRps) parts.push(`open loop at ${row.offeredRps} req/s offered`);
  if (row.emails)
    parts.push(`${row.emails.placed} placed; ${emailNote(row.emails)}${row.held === false ? '; NOT held' : row.held ? '; held' : ''}`);
  if (row.vsFewOrders) parts.push(`${ratio(row.vsFewOrders)} × the req/s of orders-list-20`);
  if (row.backlogPeak && row.emails) parts.push(`backlog peak: outbox ${row.backlogPeak.outboxPending}, queue ${row.backlogPeak.queued}`);
  else if (row.backlogPeak) {
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
  if (row.errors && row.errorDetail) {
    const { socketErrors, unanswered } = row.errorDetail;
    parts.push(
      `status codes ${JSON.stringify(row.errorDetail.statusCodes ?? {})}` +
        (socketErrors && Object.keys(socketErrors).length ? `, socket errors ${JSON.stringify(socketErrors)}` : '') +
        (unanswered ? `, ${unanswered} unanswered` : ''),
    );
  }
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
    '× pgbench': placesOrders(r.name) ? ratio(r.rps / c.pgbench) : '',
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

/** The pipeline's headline and steps, and the soak's memory, as Markdown lines. */
function pipelineAndSoak(result) {
  const lines = [];
  const p = result.pipeline;
  if (p) {
    lines.push(
      p.heldRate
        ? `**Pipeline: held ${p.heldRate} orders/s = ${ratio(p.ratioToPgbench)} × pgbench -N** (${fmt(p.pgbenchTps)} TPS in this run): the highest rate at which every confirmation email was sent within 10 s of the load's end, with placement p99 under 250 ms and no error.`
        : `**Pipeline: no rate held** (from ${p.steps[0] ?? '–'}): not every email was sent within 10 s of the load's end, or p99 ≥ 250 ms, or errors.`,
      '',
      '| step | placed | p50 | p99 | errors | emails sent after the load (s) | not sent | failed | held |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...result.rows
        .filter((r) => p.steps.includes(r.name))
        .map(
          (r) =>
            `| ${r.name} | ${fmt(r.emails.placed)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.errors)} | ${fmt(r.emails.secondsAfterLoad, 1)} | ${fmt(r.emails.left)} | ${fmt(r.emails.failed)} | ${r.held ? 'yes' : 'no'} |`,
        ),
      '',
    );
  }
  const s = result.soak;
  if (s) {
    const m = s.memory;
    const row = result.rows.find((r) => r.name.startsWith('soak '));
    lines.push(
      `**Soak: ${s.rate} orders/s for ${s.seconds} s** (rate from ${s.rateFrom}): ${row ? `${fmt(row.emails.placed)} placed, p99 ${fmt(row.p99)} ms, ${fmt(row.errors)} errors; ${emailNote(row.emails)}` : ''}. ` +
        `Memory (MB) sampled every ${s.everyS} s: RSS of each process; PostgreSQL is the sum of the PSS of the postmaster and its children (their RSS would count shared buffers once per backend)` +
        `${s.missing.length ? `; not found: ${s.missing.join(', ')}` : ''}.`,
      '',
      `| process | start | at ${fmt(m.markS)} s | at ${fmt(m.endS)} s | growth from ${fmt(m.markS)} s |`,
      '| --- | ---: | ---: | ---: | ---: |',
      ...m.rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.start, 1)} | ${fmt(r.mark, 1)} | ${fmt(r.end, 1)} | ${Number.isFinite(r.growthPct) ? `${r.growthPct >= 0 ? '+' : ''}${r.growthPct.toFixed(1)} %` : '–'} |`,
      ),
      '',
    );
  }
  return lines;
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
    ...pipelineAndSoak(result),
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
    ...(result.pipeline || result.soak ? ['', ...pipelineAndSoak(result)] : []),
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

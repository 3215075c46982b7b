// Reads the schemathesis logs of scripts/fuzz-api.sh (`--checks all`) and writes summary.json and
// summary.md: cases, unique failures per check, 5xx answers and response-schema violations per
// service. Exits 1 on any failure (a 5xx among them) and on any operation schemathesis could not test.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [out, examples, ...runs] = process.argv.slice(2);

/** The distinct failures of one check in schemathesis' FAILURES section (each printed once, as "- <title>"). */
function countFailures(log, title) {
  return log.split('\n').filter((line) => line.trim() === `- ${title}`).length;
}

/** Every failure schemathesis printed, counted by its check (`ST202 Schema-valid request rejected`: 3). */
function failuresByCheck(log) {
  const counts = {};
  for (const line of log.split('\n')) {
    const check = /^- (ST\d+ .+)$/.exec(line.trim())?.[1];
    if (check) counts[check] = (counts[check] ?? 0) + 1;
  }
  return counts;
}

/** The same, for titles schemathesis prefixes with its check's code (`- ST101 Server error`). */
function countPrefixed(log, title) {
  return log.split('\n').filter((line) => new RegExp(`^- ST\\d+ ${title}$`).test(line.trim())).length;
}

const rows = runs.map((run) => {
  const [service, rc, file] = run.split(' ');
  const log = fs.readFileSync(file, 'utf8');
  const cases = /Test cases:\s*\n\s*(\d+) generated/.exec(log)?.[1] ?? /(\d+) generated/.exec(log)?.[1];
  const operations = /API Operations:\s*\n\s*Selected: (\d+)\/(\d+)/.exec(log);
  return {
    service,
    exitCode: Number(rc),
    operations: operations ? Number(operations[1]) : null,
    cases: cases === undefined ? null : Number(cases),
    uniqueFailures: Number(/found (\d+) unique failures?/.exec(log)?.[1] ?? 0),
    failuresByCheck: failuresByCheck(log),
    serverErrors: countFailures(log, 'Server error') + countPrefixed(log, 'Server error'),
    schemaViolations: countFailures(log, 'Response violates schema') + countPrefixed(log, 'Response violates schema'),
    timedOut: Number(rc) === 124,
    // schemathesis' own faults (e.g. in its schema walker): not findings about our API, but shown.
    toolErrors: /= ERRORS =/.test(log),
    log: path.relative(process.cwd(), file),
  };
});

const summary = { at: new Date().toISOString(), examplesPerOperation: Number(examples), runs: rows };
fs.writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
const md = [
  `# Fuzzing (schemathesis), ${summary.at}`,
  '',
  `${examples} examples per operation; every schemathesis check (\`--checks all\`).`,
  '',
  '| service | operations | cases | unique failures | by check | 5xx | schema violations | schemathesis error | log |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.service} | ${r.operations ?? '?'} | ${r.cases ?? '?'}${r.timedOut ? ' (time limit)' : ''} | ${r.uniqueFailures} | ${
        Object.entries(r.failuresByCheck)
          .map(([check, n]) => `${check}: ${n}`)
          .join('; ') || '-'
      } | ${r.serverErrors} | ${r.schemaViolations} | ${r.toolErrors ? 'yes (see log)' : 'no'} | ${r.log} |`,
  ),
  '',
];
fs.writeFileSync(path.join(out, 'summary.md'), md.join('\n'));
process.stdout.write(md.join('\n'));
process.exit(rows.some((r) => r.serverErrors > 0 || r.uniqueFailures > 0 || r.toolErrors) ? 1 : 0);

// Lints OpenAPI documents with Redocly's `recommended` ruleset (@redocly/openapi-core, pinned in
// package-lock.json) and prints one JSON object: per document, its errors and warnings by rule.
//   node tests/e2e/src/openapi/redocly-lint.mjs <name>=<url or file> ...
// An ES module run as its own process: @redocly/openapi-core is ESM-only and Jest loads CommonJS.
import { readFile } from 'node:fs/promises';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const config = await createConfig({ extends: ['recommended'] });
const result = {};
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  const [name, where] = [arg.slice(0, at), arg.slice(at + 1)];
  const source = /^https?:\/\//.test(where) ? await (await fetch(where)).text() : await readFile(where, 'utf8');
  const problems = await lintFromString({ source, absoluteRef: `${name}.json`, config });
  const entry = { errors: 0, warnings: 0, byRule: {}, problems: [] };
  for (const p of problems) {
    if (p.severity === 'error') entry.errors++;
    else if (p.severity === 'warn') entry.warnings++;
    else continue;
    const key = `${p.severity} ${p.ruleId}`;
    entry.byRule[key] = (entry.byRule[key] ?? 0) + 1;
    entry.problems.push({ severity: p.severity, rule: p.ruleId, message: p.message, at: p.location?.[0]?.pointer });
  }
  result[name] = entry;
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

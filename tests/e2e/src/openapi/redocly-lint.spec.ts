import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ServiceName, Stack, startStack } from '../harness/stack';

/** Where each service serves its raw OpenAPI document. */
const DOCUMENTS: Record<ServiceName, string> = {
  user: '/api-docs.json',
  product: '/api-json',
  order: '/api/docs.json',
  notification: '/api-docs-json',
};

interface LintResult {
  errors: number;
  warnings: number;
  byRule: Record<string, number>;
  problems: Array<{ severity: string; rule: string; message: string; at?: string }>;
}

/**
 * Each document as the running service serves it, linted with Redocly's `recommended` ruleset
 * (redocly-lint.mjs, @redocly/openapi-core pinned): a generated client needs every operation
 * named, its credentials declared and its refusals documented. Errors fail; warnings are printed.
 */
describe('the OpenAPI documents under Redocly’s recommended rules', () => {
  let stack: Stack;
  let results: Record<ServiceName, LintResult>;

  beforeAll(async () => {
    stack = await startStack();
    const targets = Object.entries(DOCUMENTS).map(([name, path]) => `${name}=${stack.urls[name as ServiceName]}${path}`);
    const { stdout } = await promisify(execFile)(process.execPath, [resolve(__dirname, 'redocly-lint.mjs'), ...targets], {
      maxBuffer: 16 * 1024 * 1024,
    });
    results = JSON.parse(stdout) as Record<ServiceName, LintResult>;
    process.stdout.write(
      `Redocly recommended:\n${Object.entries(results)
        .map(([name, r]) => `  ${name}: ${r.errors} errors, ${r.warnings} warnings ${JSON.stringify(r.byRule)}`)
        .join('\n')}\n`,
    );
  }, 180_000);
  afterAll(() => stack?.close(), 60_000);

  it.each(Object.keys(DOCUMENTS) as ServiceName[])('finds no error in the %s service’s document', (name) => {
    expect(results[name].problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Stack, startStack } from '../harness/stack';

const REPO_ROOT = resolve(__dirname, '../../../..');
const OUT = resolve(REPO_ROOT, '.data/fuzz');

interface FuzzRun {
  service: string;
  cases: number | null;
  uniqueFailures: number;
  serverErrors: number;
  schemaViolations: number;
  toolErrors: boolean;
}

/** Runs scripts/fuzz-api.sh against the stack, printing its output as it goes; resolves its exit code. */
function fuzz(stack: Stack, token: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [resolve(REPO_ROOT, 'scripts/fuzz-api.sh')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        USER_URL: stack.urls.user,
        PRODUCT_URL: stack.urls.product,
        ORDER_URL: stack.urls.order,
        NOTIFICATION_URL: stack.urls.notification,
        INTERNAL_API_KEY: stack.internalHeaders['X-Internal-Key'],
        FUZZ_TOKEN: token,
        FUZZ_OUT: OUT,
      },
    });
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 1));
  });
}

/** The whole stack on free ports and its own databases, fuzzed from each service's OpenAPI document. */
describe('fuzzing every service from its OpenAPI document', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(() => stack?.close(), 60_000);

  it('finds no disagreement between any document and its API (every schemathesis check)', async () => {
    const code = await fuzz(stack, await stack.adminToken());
    const summary = JSON.parse(readFileSync(resolve(OUT, 'summary.json'), 'utf8')) as { runs: FuzzRun[] };
    expect(summary.runs).toHaveLength(4);
    expect(summary.runs.every((r) => (r.cases ?? 0) > 0)).toBe(true);
    expect(summary.runs.filter((r) => r.serverErrors > 0)).toEqual([]);
    expect(summary.runs.filter((r) => r.uniqueFailures > 0)).toEqual([]);
    // An operation schemathesis could not test (its own error, a configuration it refused) proves nothing.
    expect(summary.runs.filter((r) => r.toolErrors)).toEqual([]);
    expect(code).toBe(0);
  });
});

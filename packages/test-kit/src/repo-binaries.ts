import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository's root (from packages/test-kit/src and from packages/test-kit/dist alike). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** Runs one of the repo's scripts that builds a binary once (cached outside the repo) and prints its path. */
function binaryFrom(script: string, ...args: string[]): string {
  const out = execFileSync('bash', [resolve(REPO_ROOT, script), ...args], {
    encoding: 'utf8',
    // Building takes a minute the first time; the scripts say what they do on stderr.
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  });
  const path = out.trim().split('\n').pop();
  if (!path) throw new Error(`${script} printed no binary path`);
  return path;
}

/** Toxiproxy's server, built once from the Go module proxy. */
export const toxiproxyBinary = () => binaryFrom('scripts/lib/ensure-toxiproxy.sh');
/** The embedded FerretDB (infra/ferretdb), built once with the Go toolchain. */
export const ferretDbBinary = () => binaryFrom('scripts/infra.sh', 'ferretdb-bin');

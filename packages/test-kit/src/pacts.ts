import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Verifier, VerifierOptions } from '@pact-foundation/pact';

// Pact's native core reports usage over the network unless told not to; tests call nothing outside.
process.env.PACT_DO_NOT_TRACK = 'true';

/**
 * Where the pacts are versioned (packages/contracts/pacts): the consumer tests write them there,
 * the provider verifications read them from there, so the two never depend on running in order.
 */
export const PACTS_DIR = resolve(__dirname, '../../contracts/pacts');

/**
 * The X-Internal-Key the consumer tests send. It is a value in the pacts, so a provider is
 * verified with this key among its INTERNAL_API_KEY.
 */
export const PACT_INTERNAL_KEY = 'pact-internal-key';

/** The versioned pacts that name this provider, one per consumer. */
export function pactsFor(provider: string, dir = PACTS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .filter((file) => (JSON.parse(readFileSync(file, 'utf8')) as { provider: { name: string } }).provider.name === provider);
}

export type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;

export interface PactVerification {
  provider: string;
  /** The running provider: its real app on its test database. */
  baseUrl: string;
  /** Sets up each provider state the pacts name, straight through the service's own code. */
  stateHandlers: StateHandlers;
  /** Defaults to every versioned pact that names the provider. */
  pactUrls?: string[];
}

/** What the verifier reports of one failed interaction (pactffi_verifier_json). */
interface VerifierError {
  interaction?: string;
  mismatch?: {
    type?: string;
    message?: string;
    mismatches?: Array<{ type?: string; path?: string; mismatch?: string; expected?: unknown; actual?: unknown }>;
  };
}

/**
 * Replays every interaction of the provider's pacts against it, one pact (one consumer) at a
 * time. Resolves when all match; otherwise rejects with one line per broken interaction naming
 * the consumer, the interaction and what differed, so a failing `npm test` says who would break.
 */
export async function verifyPacts({ provider, baseUrl, stateHandlers, pactUrls }: PactVerification): Promise<void> {
  const urls = pactUrls ?? pactsFor(provider);
  if (urls.length === 0) throw new Error(`No pact in ${PACTS_DIR} names ${provider}`);
  const broken: string[] = [];
  for (const url of urls) {
    const consumer = (JSON.parse(readFileSync(url, 'utf8')) as { consumer: { name: string } }).consumer.name;
    try {
      await new Verifier({ provider, providerBaseUrl: baseUrl, pactUrls: [url], stateHandlers, logLevel: 'error' }).verifyProvider();
    } catch (err) {
      broken.push(...describeFailure(consumer, provider, err));
    }
  }
  if (broken.length > 0) throw new Error(`${provider} breaks its consumers' pacts:\n${broken.join('\n')}`);
}

function describeFailure(consumer: string, provider: string, err: unknown): string[] {
  const message = err instanceof Error ? err.message : String(err);
  let errors: VerifierError[];
  try {
    errors = (JSON.parse(message) as { errors?: VerifierError[] }).errors ?? [];
  } catch {
    return [`  ${consumer} -> ${provider}: the verification did not run: ${message}`];
  }
  if (errors.length === 0) return [`  ${consumer} -> ${provider}: failed: ${message}`];
  return errors.map(({ interaction, mismatch }) => {
    const details = (mismatch?.mismatches ?? []).map((m) => [m.type, m.path, m.mismatch].filter(Boolean).join(' '));
    const what = details.length > 0 ? details.join('; ') : (mismatch?.message ?? mismatch?.type ?? 'mismatch');
    const name = (interaction ?? '?').replace(`Verifying a pact between ${consumer} and ${provider} `, '');
    return `  ${consumer} -> ${provider}: "${name}": ${what}`;
  });
}

export interface ChangedAnswer {
  /** The request path whose answer changes, e.g. `/api/users/internal/validate-token`. */
  path: string;
  /** The provider's answer as it would be after the change. */
  change(answer: { status: number; body: unknown }): { status: number; body: unknown };
}

/**
 * A provider after a careless change, for showing that its verification fails: a proxy in front
 * of the real app that alters one route's JSON answers (a renamed field, another status code).
 */
export async function startChangedProvider(baseUrl: string, changed: ChangedAnswer): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(baseUrl);
  const server = createServer((req, res) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let status = answer.statusCode ?? 502;
          let body = Buffer.concat(chunks);
          if (new URL(req.url ?? '/', baseUrl).pathname === changed.path && body.length > 0) {
            const after = changed.change({ status, body: JSON.parse(body.toString('utf8')) });
            status = after.status;
            body = Buffer.from(JSON.stringify(after.body));
          }
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(status, headers).end(body);
        });
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { Browser, chromium, Page } from 'playwright-core';
import { ServiceName, Stack, startStack } from '../harness/stack';

/**
 * Each service's Swagger UI, opened in headless Chromium (Debian's, never a downloaded one),
 * against its raw OpenAPI document: every documented operation is in the UI and one call made
 * from the UI answers 200. The documents themselves are checked for what a client needs:
 * responses, request body schemas, and the security schemes the routes really require.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];

interface OpenApiOperation {
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: { pattern?: string; format?: string } }>;
}
interface OpenApiDocument {
  openapi: string;
  security?: Array<Record<string, string[]>>;
  components?: { securitySchemes?: Record<string, { type: string; in?: string; name?: string }> };
  paths: Record<string, Partial<Record<Method, OpenApiOperation>>>;
}
interface Operation {
  method: Method;
  path: string;
  op: OpenApiOperation;
}

interface DocumentedService {
  service: ServiceName;
  ui: string;
  raw: string;
  /** An operation to run with "Try it out" → "Execute"; `authorize` names an API key scheme to fill in first. */
  tryOut: { method: Method; path: string; authorize?: string };
  /**
   * Actions that take no request body by design (the id in the path says it all). Listed here so
   * that the "POST/PUT/PATCH has a body schema" rule stays strict for everything else.
   */
  bodiless: string[];
}

const SERVICES: DocumentedService[] = [
  { service: 'user', ui: '/api-docs', raw: '/api-docs.json', tryOut: { method: 'get', path: '/health' }, bodiless: [] },
  {
    service: 'product',
    ui: '/api',
    raw: '/api-json',
    tryOut: { method: 'get', path: '/api/products' },
    bodiless: ['POST /api/reservations/{orderId}/confirm', 'POST /api/reservations/{orderId}/release'],
  },
  {
    service: 'order',
    ui: '/api/docs',
    raw: '/api/docs.json',
    tryOut: { method: 'get', path: '/health' },
    bodiless: ['POST /api/orders/{id}/cancel'],
  },
  {
    service: 'notification',
    ui: '/api-docs',
    raw: '/api-docs-json',
    // Nothing of this API is public: the call is made the way an operator would, with the key.
    tryOut: { method: 'get', path: '/api/notifications', authorize: 'internal-key' },
    bodiless: ['PATCH /api/notifications/{id}/read', 'POST /api/notifications/{id}/retry'],
  },
];

const operationsOf = (doc: OpenApiDocument): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] as OpenApiOperation })),
  );
const label = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;

/** The path with each parameter filled in with a value of the right shape. */
function concretePath({ path, op }: Operation): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    return schema?.pattern?.includes('{24}') ? '0123456789abcdef01234567' : randomUUID();
  });
}

/** Whether the route refuses a call without credentials (what the document must then declare). */
async function requiresCredentials(api: AxiosInstance, operation: Operation): Promise<boolean> {
  const sendsBody = operation.method !== 'get' && operation.method !== 'delete';
  const res = await api.request({ method: operation.method, url: concretePath(operation), data: sendsBody ? {} : undefined });
  return res.status === 401 || res.status === 403;
}

/** What a client of this document would miss, one line per problem (empty when complete). */
async function documentProblems(doc: OpenApiDocument, api: AxiosInstance, bodiless: string[]): Promise<string[]> {
  const problems: string[] = [];
  const schemes = doc.components?.securitySchemes ?? {};
  for (const operation of operationsOf(doc)) {
    const { method, op } = operation;
    const name = label(operation);
    if (Object.keys(op.responses ?? {}).length === 0) problems.push(`${name}: no response documented`);
    if (method === 'post' || method === 'put' || method === 'patch') {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (bodiless.includes(name)) {
        if (op.requestBody) problems.push(`${name}: listed as taking no body, but documents one (update the list)`);
      } else if (!schema) {
        problems.push(`${name}: no application/json request body schema`);
      }
    }
    const security = (op.security ?? doc.security ?? []).filter((requirement) => Object.keys(requirement).length > 0);
    for (const scheme of security.flatMap((requirement) => Object.keys(requirement))) {
      if (!schemes[scheme]) problems.push(`${name}: security scheme "${scheme}" is not defined in components.securitySchemes`);
    }
    if (security.length === 0 && (await requiresCredentials(api, operation))) {
      problems.push(`${name}: answers 401/403 without credentials but declares no security scheme`);
    }
  }
  for (const pattern of patternsIn(doc)) {
    // A JavaScript flag leaking into the pattern (`^[a-f]{24}$/i`) makes it match nothing.
    if (/\/[dgimsuvy]*$/.test(pattern)) problems.push(`pattern ${pattern}: ends with a regular-expression flag, so nothing matches it`);
  }
  return problems;
}

/** Every `pattern` keyword anywhere in the document (parameters and schemas alike). */
function patternsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(patternsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'pattern' && typeof value === 'string' ? [value] : patternsIn(value)));
}

/** Opens every collapsed tag (docExpansion "none") so that every operation is in the page. */
async function expandAllTags(page: Page): Promise<void> {
  for (const tag of await page.locator('.opblock-tag[data-is-open="false"]').all()) await tag.click();
}

async function listedOperations(page: Page): Promise<string[]> {
  return page.$$eval('.opblock', (blocks) =>
    blocks.map((block) => {
      const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
      const pathElement = block.querySelector('.opblock-summary-path');
      // Swagger UI puts zero-width spaces in long paths (line breaks); data-path has the raw one.
      const path = pathElement?.getAttribute('data-path') ?? pathElement?.textContent ?? '';
      return `${method.trim().toUpperCase()} ${path.replace(/\u200b/g, '').trim()}`;
    }),
  );
}

async function authorize(page: Page, scheme: string, value: string): Promise<void> {
  await page.locator('.auth-wrapper .authorize').first().click();
  const container = page.locator('.modal-ux .auth-container').filter({ hasText: scheme });
  await container.locator('input').first().fill(value);
  await container.locator('button.authorize').click();
  // Once applied, the scheme shows "Authorized" (and a masked value).
  await container.locator('h6', { hasText: 'Authorized' }).waitFor();
  await page.locator('.modal-ux .close-modal').click();
}

/** "Try it out" → "Execute" on one operation; the status code the UI shows for the answer. */
async function executeInUi(page: Page, method: Method, path: string): Promise<string> {
  const block = page
    .locator(`.opblock.opblock-${method}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) })
    .first();
  await block.locator('.opblock-summary').first().click();
  await block.locator('.try-out__btn').click();
  await block.locator('.execute').click();
  const status = block.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  return (await status.textContent())?.trim() ?? '';
}

describe('Swagger UI and OpenAPI document of every service', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  describe.each(SERVICES)('the $service service', ({ service, ui, raw, tryOut, bodiless }) => {
    let doc: OpenApiDocument;
    beforeAll(async () => {
      const res = await stack.api(service).get(raw);
      expect(res.status).toBe(200);
      doc = res.data as OpenApiDocument;
    });

    it(`serves an OpenAPI 3 document at ${raw} with responses, body schemas and security on every operation`, async () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(operationsOf(doc).length).toBeGreaterThan(0);
      expect(await documentProblems(doc, stack.api(service), bodiless)).toEqual([]);
    });

    it(`lists every documented operation at ${ui}, and “Try it out” on ${label(tryOut)} shows 200`, async () => {
      const page = await browser.newPage();
      // Fail a missing element with Playwright's own message, well before the test's timeout.
      page.setDefaultTimeout(10_000);
      try {
        await page.goto(`${stack.urls[service]}${ui}`);
        await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
        await expandAllTags(page);
        const listed = new Set(await listedOperations(page));
        const documented = operationsOf(doc).map(label);
        expect(documented.filter((o) => !listed.has(o))).toEqual([]);
        expect(listed.size).toBe(documented.length);

        if (tryOut.authorize) await authorize(page, tryOut.authorize, stack.internalHeaders['X-Internal-Key']);
        expect(await executeInUi(page, tryOut.method, tryOut.path)).toBe('200');
      } finally {
        await page.close();
      }
    });
  });
});

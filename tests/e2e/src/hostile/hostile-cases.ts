import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AxiosInstance } from 'axios';
import type { ServiceName } from '../harness/stack';
import { OPENAPI_PATHS } from '../attacks/openapi-operations';

/**
 * Requests that attack the parsers and the stores rather than the schemas, generated from each
 * service's OpenAPI document: every route that takes a body or a query gets them, so a new
 * route is attacked as soon as it is documented.
 */

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

interface OperationObject {
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }>; schemas?: Record<string, Schema> };
}

/** One documented route that takes a body or a query. */
export interface HostileOperation {
  service: ServiceName;
  method: string;
  template: string;
  bearer: boolean;
  internalKey: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body's schema (resolved), if the route takes one. */
  body?: Schema;
  resolve(schema: Schema | undefined): Schema | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function hostileOperations(service: ServiceName, api: AxiosInstance): Promise<HostileOperation[]> {
  const res = await api.get(OPENAPI_PATHS[service]);
  if (res.status !== 200) throw new Error(`${service}: no OpenAPI document at ${OPENAPI_PATHS[service]} (${res.status})`);
  const doc = res.data as OpenApiDocument;
  const schemes = doc.components?.securitySchemes ?? {};
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    for (let hops = 0; schema?.$ref && hops < 10; hops += 1) schema = doc.components?.schemas?.[schema.$ref.split('/').pop()!];
    const [only] = schema?.allOf ?? schema?.anyOf ?? schema?.oneOf ?? [];
    return only && !schema?.properties && !schema?.type ? resolve(only) : schema;
  };
  const operations: HostileOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const names = (op.security ?? []).flatMap((requirement) => Object.keys(requirement));
      const params = op.parameters ?? [];
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      const queryParams = params.filter((p) => p.in === 'query');
      if (!body && queryParams.length === 0) continue;
      operations.push({
        service,
        method,
        template,
        bearer: names.some((n) => schemes[n]?.type === 'http' && schemes[n]?.scheme === 'bearer'),
        internalKey: names.some((n) => schemes[n]?.type === 'apiKey'),
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams,
        body,
        resolve,
      });
    }
  }
  return operations;
}

/** Real ids, so that a request that gets through reaches the stores instead of a 404. */
export interface KnownIds {
  categoryId: string;
  productId: string;
  orderId: string;
  userId: string;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1).toString(36)}`;

/** A well-formed value for a schema: the body an honest client would send, to be spoilt one place at a time. */
export function skeleton(op: HostileOperation, schema: Schema | undefined, ids: KnownIds, name = '', depth = 0): unknown {
  const s = op.resolve(schema);
  if (!s || depth > 6) return 'Hostile';
  if (s.enum?.length) return s.enum[0];
  const type = s.type ?? (s.properties ? 'object' : 'string');
  if (type === 'object') {
    if (!s.properties) return { note: 'Hostile note' };
    const out: Record<string, unknown> = {};
    const required = new Set(s.required ?? []);
    for (const [key, child] of Object.entries(s.properties)) {
      // An honest client sends a password only where it must (a profile change would need the current one).
      if (!required.has(key) && /password/i.test(key)) continue;
      out[key] = skeleton(op, child, ids, key, depth + 1);
    }
    return out;
  }
  if (type === 'array') return [skeleton(op, s.items, ids, name, depth + 1)];
  if (type === 'boolean') return true;
  if (type === 'integer' || type === 'number') {
    const min = s.minimum ?? Number.NEGATIVE_INFINITY;
    const max = s.maximum ?? Number.POSITIVE_INFINITY;
    return min <= 1 && 1 <= max ? 1 : min;
  }
  if (s.format === 'email') return `hostile-${unique()}@e2e.test`;
  if (s.format === 'uuid' || /Id$/.test(name)) {
    if (/categor/i.test(name)) return ids.categoryId;
    if (/product/i.test(name)) return ids.productId;
    if (/order/i.test(name)) return randomUUID();
    if (/user/i.test(name)) return ids.userId;
    return randomUUID();
  }
  if (s.format === 'date-time') return new Date().toISOString();
  if (/password/i.test(name)) return 'hostile-password-1';
  if (/phone/i.test(name)) return '+15551234567';
  if (/country/i.test(name)) return 'US';
  return `Hostile ${name} ${unique()}`.slice(0, 40);
}

type Path = Array<string | number>;
interface Leaf {
  path: Path;
  kind: 'string' | 'number';
}

function leaves(value: unknown, path: Path = []): Leaf[] {
  if (typeof value === 'string') return [{ path, kind: 'string' }];
  if (typeof value === 'number') return [{ path, kind: 'number' }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = leaf;
  return copy;
}

/** Put raw JSON text (1e400 is no JavaScript number) where a placeholder string was. */
const PLACEHOLDER = '\u2603hostile-raw\u2603';
function rawAt(value: unknown, path: Path, raw: string): string {
  return JSON.stringify(setAt(value, path, PLACEHOLDER)).replace(JSON.stringify(PLACEHOLDER), raw);
}

export type Expectation =
  /** Any 4xx in the envelope. */
  | 'refused'
  /** A 4xx in the envelope, or a 2xx that gives back what was sent wherever it shows the field. */
  | 'refused-or-kept';

export interface HostileCase {
  attack: string;
  /** Where in the body or query, e.g. `body.shippingAddress.line1`. */
  where: string;
  url: string;
  headers: Record<string, string>;
  data?: string | Buffer;
  expect: Expectation;
  /** For a 2xx: the field's name and the value it must read back as. */
  kept?: { key: string; value: unknown };
}

/** Strings no store takes, and strings every store takes but that tend to surprise code. */
const REFUSED_STRINGS: Record<string, string> = {
  'an unpaired high surrogate': 'x\ud800y',
  'an unpaired low surrogate': '\udc00',
  'a NUL character': 'a\u0000b',
};
const CONTROL_CHARACTERS = 'a\u0001\u0008\u000b\u001b\u007f\u0085\u200b\u2028\ufeffb';
/** Numbers as JSON text: beyond a double either way, below its precision, past 2^53. */
const REFUSED_NUMBERS = ['1e400', '-1e400'];
const ODD_NUMBERS = ['1e-400', '-0', '9007199254740993', '123456789012345678901234567890'];

/** Leaves room for the rest of the body under the 100 kb body limit (body-parser counts bytes). */
const BODY_LIMIT_BYTES = 100 * 1024;

const JSON_TYPE = { 'Content-Type': 'application/json' };

export function bodyCases(op: HostileOperation, url: string, ids: KnownIds): HostileCase[] {
  const cases: HostileCase[] = [];
  const base = () => skeleton(op, op.body, ids);
  const json = (attack: string, where: string, data: string | Buffer, expect: Expectation, extra: Partial<HostileCase> = {}) =>
    cases.push({ attack, where, url, headers: { ...JSON_TYPE }, data, expect, ...extra });

  for (const leaf of leaves(base())) {
    const where = ['body', ...leaf.path].join('.');
    const key = String(leaf.path.filter((p) => typeof p === 'string').pop() ?? '');
    if (leaf.kind === 'string') {
      for (const [attack, text] of Object.entries(REFUSED_STRINGS))
        json(attack, where, JSON.stringify(setAt(base(), leaf.path, text)), 'refused');
      json('control characters', where, JSON.stringify(setAt(base(), leaf.path, CONTROL_CHARACTERS)), 'refused-or-kept', {
        kept: { key, value: CONTROL_CHARACTERS },
      });
      const rest = Buffer.byteLength(JSON.stringify(setAt(base(), leaf.path, '')));
      const longest = 'x'.repeat(BODY_LIMIT_BYTES - rest - 64);
      json('the longest string the body limit allows', where, JSON.stringify(setAt(base(), leaf.path, longest)), 'refused-or-kept', {
        kept: { key, value: longest },
      });
      json(
        'a string one byte past the body limit',
        where,
        JSON.stringify(setAt(base(), leaf.path, `${longest}${'x'.repeat(65)}`)),
        'refused',
      );
    } else {
      for (const raw of REFUSED_NUMBERS) json(`the number ${raw}`, where, rawAt(base(), leaf.path, raw), 'refused');
      for (const raw of ODD_NUMBERS)
        json(`the number ${raw}`, where, rawAt(base(), leaf.path, raw), 'refused-or-kept', { kept: { key, value: JSON.parse(raw) } });
    }
  }

  // Free-form objects (notification metadata) take any key: spoil the keys too.
  const withKey = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => withKey(v, key));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([k, v]) => [k, k === 'metadata' ? { [key]: 1 } : withKey(v, key)] as const);
    return Object.fromEntries(entries);
  };
  if (JSON.stringify(base()).includes('"metadata"')) {
    for (const [attack, text] of Object.entries(REFUSED_STRINGS))
      json(`${attack} in a key`, 'body..metadata', JSON.stringify(withKey(base(), text)), 'refused');
  }

  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  json('~24 KB of nested brackets', 'body', deep(12_000), 'refused');
  json('~45 KB of nested objects', 'body', '{"a":'.repeat(9_000) + '1' + '}'.repeat(9_000), 'refused');
  json('33 levels of nesting', 'body', deep(33), 'refused');
  const firstKey = Object.keys(base() as object)[0];
  if (firstKey)
    json('nesting far deeper than any valid body, inside a field', `body.${firstKey}`, rawAt(base(), [firstKey], deep(5_000)), 'refused');

  // JSON.parse keeps the last of duplicate keys: whatever comes last must decide, harmlessly.
  const valid = JSON.stringify(base());
  const inner = valid.slice(1, -1);
  if (inner) {
    const spoilt = Object.keys(base() as object)
      .map((k) => `${JSON.stringify(k)}:{"$gt":""}`)
      .join(',');
    json('duplicate keys, the valid value last', 'body', `{${spoilt},${inner}}`, 'refused-or-kept');
    json('duplicate keys, an operator last', 'body', `{${inner},${spoilt}}`, 'refused');
  }
  json('a __proto__ key', 'body', `{"__proto__":{"role":"admin","isAdmin":true}${inner ? `,${inner}` : ''}}`, 'refused-or-kept');
  json(
    'a constructor.prototype key',
    'body',
    `{"constructor":{"prototype":{"role":"admin"}}${inner ? `,${inner}` : ''}}`,
    'refused-or-kept',
  );

  for (const raw of ['null', 'true', '42', '"text"', '[]', '', '{', '{"a":1}garbage'])
    json(`the JSON text ${JSON.stringify(raw)}`, 'body', raw, 'refused-or-kept');
  json(
    'invalid UTF-8 bytes',
    'body',
    Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    'refused',
  );
  json('a byte-order mark', 'body', `\ufeff${valid}`, 'refused-or-kept');

  const typed = (attack: string, contentType: string | undefined, data: string | Buffer, headers: Record<string, string> = {}) =>
    cases.push({
      attack,
      where: 'body',
      url,
      headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...headers },
      data,
      expect: 'refused-or-kept',
    });
  typed('JSON sent as text/plain', 'text/plain', valid);
  typed('a form', 'application/x-www-form-urlencoded', 'a=1&b[c]=2');
  typed('multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n');
  typed('XML', 'application/xml', '<a>1</a>');
  typed('no content type', undefined, valid);
  typed('a content type that is only a word', 'json', valid);
  typed('JSON in UTF-16', 'application/json; charset=utf-16', Buffer.from(valid, 'utf16le'));
  typed('JSON in an unknown charset', 'application/json; charset=klingon', valid);
  typed('application/json+gzip garbage', 'application/json', Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' });
  typed('an unknown content encoding', 'application/json', valid, { 'Content-Encoding': 'x-hostile' });
  typed(
    'gzip that inflates past the body limit',
    'application/json',
    gzipSync(Buffer.from(`{"a":"${'x'.repeat(2 * BODY_LIMIT_BYTES)}"}`)),
    {
      'Content-Encoding': 'gzip',
    },
  );
  return cases;
}

const QUERY_VALUES: Array<[string, string, Expectation]> = [
  ['a NUL character', 'x%00y', 'refused'],
  ['an unpaired surrogate in CESU-8 (invalid UTF-8)', '%ED%A0%80', 'refused-or-kept'],
  ['invalid percent-encoding', '%E0%A4%A', 'refused-or-kept'],
  ['control characters', 'a%01%08%1B%7F%C2%85b', 'refused-or-kept'],
  ['the number 1e400', '1e400', 'refused-or-kept'],
  ['the number -1e400', '-1e400', 'refused-or-kept'],
  ['Infinity', 'Infinity', 'refused-or-kept'],
  ['NaN', 'NaN', 'refused-or-kept'],
  ['the number 9007199254740993', '9007199254740993', 'refused-or-kept'],
  ['an operator', '%7B%22%24gt%22%3A%22%22%7D', 'refused-or-kept'],
  ['a long value', 'x'.repeat(8_000), 'refused-or-kept'],
];

export function queryCases(op: HostileOperation, path: string): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const param of op.queryParams) {
    const where = `query.${param.name}`;
    for (const [attack, value, expect] of QUERY_VALUES)
      cases.push({ attack, where, url: `${path}?${encodeURIComponent(param.name)}=${value}`, headers: {}, expect });
    cases.push({
      attack: 'the parameter twice',
      where,
      url: `${path}?${param.name}=1&${param.name}=2`,
      headers: {},
      expect: 'refused-or-kept',
    });
    cases.push({
      attack: 'a bracketed name',
      where,
      url: `${path}?${param.name}[$gt]=&${param.name}[a][b][c]=1`,
      headers: {},
      expect: 'refused-or-kept',
    });
  }
  cases.push({
    attack: 'a thousand unknown parameters',
    where: 'query',
    url: `${path}?${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}`,
    headers: {},
    expect: 'refused-or-kept',
  });
  return cases;
}

/** Every value of a field with this name in an answer, however deep. */
export function valuesNamed(data: unknown, key: string, found: unknown[] = [], depth = 0): unknown[] {
  if (depth > 20 || !data || typeof data !== 'object') return found;
  for (const [k, v] of Object.entries(data)) {
    if (k === key) found.push(v);
    valuesNamed(v, key, found, depth + 1);
  }
  return found;
}

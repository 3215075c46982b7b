import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { ServiceName } from '../harness/stack';

/** Where each service serves its OpenAPI document. */
export const OPENAPI_PATHS: Record<ServiceName, string> = {
  user: '/api-docs.json',
  product: '/api-json',
  order: '/api/docs.json',
  notification: '/api-docs-json',
};

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; parameters?: Parameter[]; requestBody?: unknown }>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }>; schemas?: Record<string, Schema> };
}

/** One documented operation, as the attacks need it. */
export interface Operation {
  service: ServiceName;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The documented path, e.g. `/api/orders/{id}`. */
  template: string;
  /** Accepts a bearer token (alone or as one of its options). */
  bearer: boolean;
  /** Accepts the internal key (alone or as one of its options). */
  internalKey: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** Top-level properties of the JSON body, if it has one. */
  bodyProperties: string[];
  /** The path with every parameter filled with a well-formed id that names nothing. */
  path(fill?: (param: Parameter) => string): string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const OBJECT_ID = '6650b7f1c2a4e5d6f7a8b9c0';

function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return doc.components?.schemas?.[schema.$ref.split('/').pop()!];
}

/** An id of the right shape: a UUID where the document says so, otherwise a MongoDB ObjectId. */
export const wellFormedId = (param: Parameter) => (param.schema?.format === 'uuid' ? randomUUID() : OBJECT_ID);

/** Every operation of a service's OpenAPI document: new routes are attacked as soon as they are documented. */
export async function documentedOperations(service: ServiceName, api: AxiosInstance): Promise<Operation[]> {
  const res = await api.get(OPENAPI_PATHS[service]);
  if (res.status !== 200) throw new Error(`${service}: no OpenAPI document at ${OPENAPI_PATHS[service]} (${res.status})`);
  const doc = res.data as OpenApiDocument;
  const schemes = doc.components?.securitySchemes ?? {};
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const names = (op.security ?? []).flatMap((requirement) => Object.keys(requirement));
      const params = op.parameters ?? [];
      const body = resolveSchema(
        doc,
        (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.['application/json']?.schema,
      );
      const pathParams = params.filter((p) => p.in === 'path');
      operations.push({
        service,
        method,
        template,
        bearer: names.some((n) => schemes[n]?.type === 'http' && schemes[n]?.scheme === 'bearer'),
        internalKey: names.some((n) => schemes[n]?.type === 'apiKey'),
        pathParams,
        queryParams: params.filter((p) => p.in === 'query'),
        bodyProperties: Object.keys(body?.properties ?? {}),
        path: (fill = wellFormedId) =>
          template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
            const param = pathParams.find((p) => p.name === name) ?? { name, in: 'path' as const };
            return encodeURIComponent(fill(param));
          }),
      });
    }
  }
  return operations;
}

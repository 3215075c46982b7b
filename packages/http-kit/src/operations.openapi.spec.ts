import { finishOpenApiDocument, NO_NUL_PATTERN, withoutNul } from './operations.openapi';

describe('the edge NUL rule in the documents', () => {
  it.each([
    [undefined, ['a', '', ' \n'], ['a\0', '\0']],
    ['\\S', ['a', ' a ', 'x\ny'], ['', '  ', 'a\0']],
    ['^(?=.*[A-Za-z])(?=.*[0-9])', ['abc123', 'a1\n'], ['abc', 'a1\0']],
    ['^[0-9a-f]{24}$', ['0123456789abcdef01234567'], ['x']],
  ])('%s: the pattern a document gets takes %j and refuses %j', (pattern, taken, refused) => {
    const regex = new RegExp(withoutNul(pattern));
    for (const text of taken) expect([text, regex.test(text)]).toEqual([text, true]);
    for (const text of refused) expect([text, regex.test(text)]).toEqual([text, false]);
  });

  it('is added to the strings a request carries, through $ref, and to nothing an answer alone uses', () => {
    const document = finishOpenApiDocument({
      info: {},
      components: {
        schemas: {
          Body: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              tags: { type: 'array', items: { type: 'string', pattern: '\\S' } },
              kind: { type: 'string', enum: ['a', 'b'] },
              id: { type: 'string', format: 'uuid' },
              nested: { $ref: '#/components/schemas/Nested' },
            },
          },
          Nested: { type: 'object', properties: { note: { type: 'string' } } },
          Error: { type: 'object', properties: { path: { type: 'string' } } },
        },
      },
      paths: {
        '/things/{id}': {
          put: {
            parameters: [{ in: 'path', name: 'id', schema: { type: 'string' } }],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Body' } } } },
            responses: { 400: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
          },
        },
      },
    });
    const schemas = document.components!.schemas as Record<string, { properties: Record<string, Record<string, unknown>> }>;
    const put = (document.paths as Record<string, Record<string, { parameters: Array<{ schema: { pattern?: string } }> }>>)['/things/{id}']
      .put;
    expect(put.parameters[0].schema.pattern).toBe(NO_NUL_PATTERN);
    expect(schemas.Body.properties.name.pattern).toBe(NO_NUL_PATTERN);
    expect((schemas.Body.properties.tags.items as { pattern: string }).pattern).toBe(withoutNul('\\S'));
    expect(schemas.Body.properties.kind.pattern).toBeUndefined();
    expect(schemas.Body.properties.id.pattern).toBeUndefined();
    expect(schemas.Nested.properties.note.pattern).toBe(NO_NUL_PATTERN);
    expect(schemas.Error.properties.path.pattern).toBeUndefined();
  });
});

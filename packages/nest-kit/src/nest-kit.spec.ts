import { Body, Controller, Get, INestApplication, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsOptional, IsString, MinLength } from 'class-validator';
import { Type } from 'class-transformer';
import request from 'supertest';
import { ConflictError, UnauthorizedError } from '@shop/errors';
import { createSilentLogger, Metrics } from '@shop/observability';
import { Access, configureNestApp } from './index';

class CreateThingDto {
  @IsString()
  @MinLength(2)
  name!: string;
}

class ListThingsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  page?: number;
}

@Controller('things')
class ThingsController {
  @Get()
  list(@Query() query: ListThingsQuery) {
    return { success: true, data: { page: query.page ?? 1 } };
  }

  @Get('conflict')
  conflict() {
    throw new ConflictError('Thing exists', { code: 'THING_EXISTS' });
  }

  @Post()
  @Access('internal-or-admin')
  create(@Body() body: CreateThingDto) {
    return { success: true, data: { thing: body } };
  }
}

@Module({ controllers: [ThingsController] })
class TestModule {}

describe('nest-kit', () => {
  let app: INestApplication;
  let verifyCalls = 0;

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { bodyParser: false, logger: false });
    configureNestApp(app, {
      service: 'test',
      logger: createSilentLogger(),
      metrics: new Metrics('test', { defaultMetrics: false }),
      internalKeys: ['key'],
      verifyToken: async (token) => {
        verifyCalls += 1;
        if (token === 'admin') return { id: 'a', email: 'a@x.io', role: 'admin' };
        if (token === 'customer') return { id: 'c', email: 'c@x.io', role: 'customer' };
        throw new UnauthorizedError('bad token', { code: 'INVALID_TOKEN' });
      },
      storage: { name: 'test database', engine: 'PostgreSQL' },
      readinessChecks: {},
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('turns a thrown AppError into the envelope with the request id', async () => {
    const res = await request(app.getHttpServer()).get('/things/conflict').set('X-Request-Id', 'rid-1');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ success: false, error: 'Thing exists', code: 'THING_EXISTS', requestId: 'rid-1' });
  });

  it('rejects a missing or wrong internal key, and a customer, on an internal-or-admin route', async () => {
    const server = app.getHttpServer();
    expect((await request(server).post('/things').send({ name: 'ok' })).status).toBe(401);
    const wrong = await request(server).post('/things').set('X-Internal-Key', 'nope').send({ name: 'ok' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_INTERNAL_KEY');
    expect((await request(server).post('/things').set('Authorization', 'Bearer customer').send({ name: 'ok' })).status).toBe(403);
    expect((await request(server).post('/things').set('Authorization', 'Bearer admin').send({ name: 'ok' })).status).toBe(201);
    expect((await request(server).post('/things').set('X-Internal-Key', 'key').send({ name: 'ok' })).status).toBe(201);
  });

  it('answers an oversized or malformed bearer token with 401 INVALID_TOKEN, without asking anyone to verify it', async () => {
    const before = verifyCalls;
    for (const token of [`admin${'a'.repeat(4096)}`, 'ad"min']) {
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', `Bearer ${token}`).send({ name: 'ok' });
      expect({ length: token.length, status: res.status, code: res.body.code }).toEqual({
        length: token.length,
        status: 401,
        code: 'INVALID_TOKEN',
      });
    }
    expect(verifyCalls).toBe(before);
  });

  it('answers validation failures, unknown keys and malformed JSON with 400 envelopes', async () => {
    const server = app.getHttpServer();
    const res = await request(server).post('/things').set('X-Internal-Key', 'key').send({ name: 'x', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.name', 'body.role']));
    const malformed = await request(server).post('/things').set('X-Internal-Key', 'key').set('content-type', 'application/json').send('{');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
  });

  it('names the query parameter a validation error is about', async () => {
    const res = await request(app.getHttpServer()).get('/things?page=abc');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'query.page' })]);
    expect((await request(app.getHttpServer()).get('/things?page=2')).body.data.page).toBe(2);
  });

  it('refuses NUL characters with a 400 before the handler', async () => {
    const res = await request(app.getHttpServer()).post('/things').set('X-Internal-Key', 'key').send({ name: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'body.name' })]);
  });

  it('refuses deep nesting, unpaired surrogates and numbers beyond a double with 400s, before authentication', async () => {
    const post = (raw: string) => request(app.getHttpServer()).post('/things').set('content-type', 'application/json').send(raw);
    const deep = await post('['.repeat(12_000) + ']'.repeat(12_000));
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    const lone = await post('{"name":{"first":"\\ud800x"}}');
    expect(lone.status).toBe(400);
    expect(lone.body.details).toEqual([expect.objectContaining({ path: 'body.name.first' })]);
    const huge = await post('{"name":1e400}');
    expect(huge.status).toBe(400);
    expect(huge.body.details).toEqual([expect.objectContaining({ path: 'body.name' })]);
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await request(app.getHttpServer()).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'ROUTE_NOT_FOUND' });
  });

  it.each([
    ['delete', '/things', 'GET, HEAD, POST'],
    ['post', '/things/conflict', 'GET, HEAD'],
    ['put', '/health', 'GET, HEAD'],
    ['delete', '/metrics', 'GET, HEAD'],
  ] as const)('answers %s %s, a path that exists with other methods, with 405 and Allow: %s', async (method, path, allow) => {
    const res = await request(app.getHttpServer())[method](path).set('X-Request-Id', 'req-405');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toEqual({ success: false, error: expect.any(String), code: 'METHOD_NOT_ALLOWED', requestId: 'req-405' });
  });

  it('refuses a request without the body its route validates with 400, as the Express services do', async () => {
    const res = await request(app.getHttpServer()).post('/things').set('X-Internal-Key', 'key');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body', message: 'a JSON object is required' }] });
  });

  it('keeps 404 for any method on a path no route has, and serves the methods a path has', async () => {
    expect((await request(app.getHttpServer()).delete('/nowhere')).status).toBe(404);
    expect((await request(app.getHttpServer()).get('/metrics')).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/things')).status).toBe(200);
  });
});

import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { createSilentLogger, Metrics } from '@shop/observability';
import { configureNestApp, IdParam, mongoId, UUID_ID } from './index';

@Controller('ids')
class IdsController {
  @Get('uuid/:id')
  uuid(@IdParam('id', UUID_ID) id: string) {
    return { success: true, data: { id } };
  }

  @Get('mongo/:id')
  mongo(@IdParam('id', mongoId('thing id', '6650b7f1c2a4e5d6f7a8b9c1')) id: string) {
    return { success: true, data: { id } };
  }
}

@Module({ controllers: [IdsController] })
class IdsModule {}

describe('IdParam', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(IdsModule, { bodyParser: false, logger: false });
    configureNestApp(app, {
      service: 'test',
      logger: createSilentLogger(),
      metrics: new Metrics('test', { defaultMetrics: false }),
      internalKeys: ['key'],
      verifyToken: async () => ({ id: 'a', email: 'a@x.io', role: 'admin' }),
      storage: { name: 'test database', engine: 'PostgreSQL' },
      readinessChecks: {},
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('passes a well-formed id to the handler', async () => {
    const uuid = '0b6f6c1e-4a43-4f5e-9d3c-2f1f3f0f8b11';
    await request(app.getHttpServer())
      .get(`/ids/uuid/${uuid}`)
      .expect(200, { success: true, data: { id: uuid } });
    await request(app.getHttpServer()).get('/ids/mongo/6650b7f1c2a4e5d6f7a8b9c1').expect(200);
  });

  it("refuses a malformed id with a 400 naming the parameter, under the format's code", async () => {
    const uuid = await request(app.getHttpServer()).get('/ids/uuid/not-a-uuid').expect(400);
    expect(uuid.body).toMatchObject({ success: false, code: 'INVALID_ID', details: [{ path: 'params.id', message: 'id must be a UUID' }] });
    const mongo = await request(app.getHttpServer()).get('/ids/mongo/not-an-id').expect(400);
    expect(mongo.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'params.id', message: 'id must be a thing id (24 hexadecimal characters)' }],
    });
  });

  it('documents the parameter once, with its format or pattern', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const [uuid] = doc.paths['/ids/uuid/{id}'].get!.parameters!;
    expect(uuid).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
    expect(doc.paths['/ids/mongo/{id}'].get!.parameters).toEqual([
      expect.objectContaining({ name: 'id', description: 'The thing id', schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' } }),
    ]);
  });
});

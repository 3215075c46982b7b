import { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerCustomOptions, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import { docsContentSecurityPolicy } from '@shop/express-kit';

/**
 * Serves Swagger UI at `/<path>` with the same Content-Security-Policy as the Express services'
 * docs page. Only the page itself gets it: in the Product service `/api` also prefixes the API.
 */
export function serveSwaggerUi(app: INestApplication, path: string, document: OpenAPIObject, options?: SwaggerCustomOptions): void {
  const policy = docsContentSecurityPolicy();
  app.use(`/${path}`, (req: Request, res: Response, next: NextFunction) => (req.path === '/' ? policy(req, res, next) : next()));
  SwaggerModule.setup(path, app, document, options);
}

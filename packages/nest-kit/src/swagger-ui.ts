import { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerCustomOptions, SwaggerModule } from '@nestjs/swagger';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ServeStaticOptions } from '@nestjs/platform-express/interfaces/serve-static-options.interface';
import express, { NextFunction, Request, Response } from 'express';
import { docsContentSecurityPolicy } from '@shop/http-kit';

/**
 * Serves Swagger UI at `/<path>` with the same Content-Security-Policy as the Express services'
 * docs page. Only the page itself gets it: in the Product service `/api` also prefixes the API.
 */
export function serveSwaggerUi(app: INestApplication, path: string, document: OpenAPIObject, options?: SwaggerCustomOptions): void {
  const policy = docsContentSecurityPolicy();
  app.use(`/${path}`, (req: Request, res: Response, next: NextFunction) => (req.path === '/' ? policy(req, res, next) : next()));
  serveUiFilesOnly(app, () => SwaggerModule.setup(path, app, document, options));
}

/** What the Swagger UI loads from its folder: file names with an extension (API paths have none). */
const UI_FILE = /^\/[\w.-]+\.[a-z0-9]+$/i;

/**
 * Swagger UI's files come from a static folder mounted on `/<path>`; where that prefixes the API
 * too (the Product service's `/api`), every API request would first look for a file of its name
 * on disk (a stat per request: 8% of a product read's CPU). While `setup` runs, the folder is
 * mounted so that only file names reach it (on the HTTP adapter: the app object Nest hands out
 * ignores writes).
 */
function serveUiFilesOnly(app: INestApplication, setup: () => void): void {
  const adapter = app.getHttpAdapter() as ExpressAdapter;
  const useStaticAssets = adapter.useStaticAssets;
  adapter.useStaticAssets = (root: string, staticOptions?: ServeStaticOptions) => {
    const files = express.static(root, staticOptions);
    adapter.use(staticOptions?.prefix ?? '/', (req: Request, res: Response, next: NextFunction) =>
      UI_FILE.test(req.path) ? files(req, res, next) : next(),
    );
  };
  try {
    setup();
  } finally {
    adapter.useStaticAssets = useStaticAssets;
  }
}

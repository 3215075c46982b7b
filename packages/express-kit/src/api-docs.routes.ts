import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { docsContentSecurityPolicy } from '@shop/http-kit';

export interface ApiDocsOptions {
  /** Where Swagger UI is served; the document itself is at `<path>.json`. */
  path: string;
  /** The page's title. */
  title: string;
}

/**
 * The OpenAPI document at `<path>.json` and Swagger UI at `<path>`, behind the docs page's
 * Content-Security-Policy. The UI's files are this document's own (serveFiles), so several apps
 * in one process (tests) each show theirs.
 */
export function serveApiDocs(app: Express, document: object, { path, title }: ApiDocsOptions): void {
  app.get(`${path}.json`, (_req, res) => {
    res.json(document);
  });
  app.use(path, docsContentSecurityPolicy(), swaggerUi.serveFiles(document), swaggerUi.setup(document, { customSiteTitle: title }));
}

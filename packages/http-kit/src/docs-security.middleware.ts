import { NextFunction, Request, Response } from 'express';

/**
 * The Content-Security-Policy of every service's Swagger UI page (two Express, two Nest). The
 * page loads its scripts and styles from the service itself (no inline script) and styles
 * inline; helmet's default would add `upgrade-insecure-requests`, which sends the browser to
 * https for those assets on a plain-HTTP development server and leaves the page blank.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'";

/** Mount in front of the Swagger UI route (`app.use('/api-docs', docsContentSecurityPolicy(), ...)`). */
export function docsContentSecurityPolicy() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    next();
  };
}

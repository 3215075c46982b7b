import { NextFunction, Request, Response } from 'express';
import { MethodNotAllowedError } from '@shop/errors';

/** What this module reads of Express 5's router (package `router` 2.x): its layers, nested through mounted routers. */
interface RouterLayer {
  match(path: string): { path: string; keys?: string[] } | false;
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * The methods some route of the app takes at `path` (HEAD wherever GET is, as Express answers it),
 * found the way Express's router matches: each layer's own matcher, descending into mounted
 * routers with the rest of the path. Empty when no route has the path. A route whose path is
 * concrete (no parameter on the way to it) hides the templated ones that also match, as OpenAPI
 * matches paths: `/api/products/batch` takes GET only, although `/api/products/:id` takes PUT too.
 */
export function allowedMethods(stack: readonly RouterLayer[], path: string): string[] {
  const concrete = new Set<string>();
  const templated = new Set<string>();
  collect(stack, path, false, { concrete, templated });
  const methods = concrete.size > 0 ? concrete : templated;
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function collect(
  stack: readonly RouterLayer[],
  path: string,
  viaParameter: boolean,
  into: { concrete: Set<string>; templated: Set<string> },
): void {
  for (const layer of stack) {
    let match: { path: string; keys?: string[] } | false;
    try {
      match = layer.match(path);
    } catch {
      // A path Express cannot decode (a malformed %-escape) matches nothing here; the router answers it.
      continue;
    }
    if (!match) continue;
    const templated = viaParameter || (match.keys?.length ?? 0) > 0;
    if (layer.route) {
      const methods = templated ? into.templated : into.concrete;
      // `app.all()` takes every method: `*`.
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) methods.add(method === '_all' ? '*' : method.toUpperCase());
    } else if (layer.handle?.stack) {
      const rest = path.slice(match.path.length);
      collect(layer.handle.stack, rest.startsWith('/') ? rest : `/${rest}`, templated, into);
    }
  }
}

function routerStack(req: Request): RouterLayer[] {
  return (req.app as unknown as { router?: { stack: RouterLayer[] } }).router?.stack ?? [];
}

/**
 * A request no route took although some route has its path answers 405 METHOD_NOT_ALLOWED with
 * `Allow`, in the error envelope; a path no route has goes on (to the 404). Install it after
 * every route: it then runs only for requests nothing else answered.
 */
export function methodNotAllowed() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const allowed = allowedMethods(routerStack(req), req.path);
    if (allowed.length === 0 || allowed.includes(req.method) || allowed.includes('*')) return next();
    next(new MethodNotAllowedError(req.method, req.path, allowed));
  };
}

/**
 * The same 405 before routing, for a path some route has concretely: otherwise a method only a
 * templated route takes would reach that route (`PUT /api/products/batch` would be
 * `PUT /api/products/:id` with an id that is no uuid, a 400), where the document, matching
 * concrete paths first as OpenAPI does, says the path has no such method. Install it before the routes.
 */
export function concretePathsFirst() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const concrete = new Set<string>();
    collect(routerStack(req), req.path, false, { concrete, templated: new Set() });
    if (concrete.size === 0 || concrete.has('*')) return next();
    if (concrete.has('GET')) concrete.add('HEAD');
    if (concrete.has(req.method)) return next();
    next(new MethodNotAllowedError(req.method, req.path, [...concrete].sort()));
  };
}

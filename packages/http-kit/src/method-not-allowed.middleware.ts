import { NextFunction, Request, Response } from 'express';
import { MethodNotAllowedError } from '@shop/errors';

/** What this module reads of Express 5's router (package `router` 2.x): its layers, nested through mounted routers. */
interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * The methods some route of the app takes at `path` (HEAD wherever GET is, as Express answers it),
 * found the way Express's router matches: each layer's own matcher, descending into mounted
 * routers with the rest of the path. Empty when no route has the path.
 */
export function allowedMethods(stack: readonly RouterLayer[], path: string): string[] {
  const methods = new Set<string>();
  collect(stack, path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function collect(stack: readonly RouterLayer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    let match: { path: string } | false;
    try {
      match = layer.match(path);
    } catch {
      // A path Express cannot decode (a malformed %-escape) matches nothing here; the router answers it.
      continue;
    }
    if (!match) continue;
    if (layer.route) {
      // `app.all()` takes every method: `*`.
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) into.add(method === '_all' ? '*' : method.toUpperCase());
    } else if (layer.handle?.stack) {
      const rest = path.slice(match.path.length);
      collect(layer.handle.stack, rest.startsWith('/') ? rest : `/${rest}`, into);
    }
  }
}

/**
 * A request no route took although some route has its path answers 405 METHOD_NOT_ALLOWED with
 * `Allow`, in the error envelope; a path no route has goes on (to the 404). Install it after
 * every route: it then runs only for requests nothing else answered.
 */
export function methodNotAllowed() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const stack = (req.app as unknown as { router?: { stack: RouterLayer[] } }).router?.stack ?? [];
    const allowed = allowedMethods(stack, req.path);
    if (allowed.length === 0 || allowed.includes(req.method) || allowed.includes('*')) return next();
    next(new MethodNotAllowedError(req.method, req.path, allowed));
  };
}

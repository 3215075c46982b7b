import type { AuthenticatedUser } from '@shop/internal-auth';

// What both kits' authentication puts on the request (Express's under Nest too), so every
// middleware, guard and handler reads it typed.
declare module 'express-serve-static-core' {
  interface Request {
    /** Set once the caller's token is verified (express-kit's requireUser, nest-kit's AccessGuard). */
    user?: AuthenticatedUser;
    /** The raw bearer token of the caller, to pass on to services that need it. */
    token?: string;
  }
}

export {};

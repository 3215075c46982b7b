import type { Passwords, UserStore } from '../users/user.ports';
import { Login } from './login/login.use-case';
import { Register } from './register/register.use-case';
import type { TokenService } from './token.service';
import { ValidateToken } from './validate-token/validate-token.use-case';

export interface AuthUseCaseDeps {
  store: UserStore;
  passwords: Passwords;
  tokens: TokenService;
}

/** The auth use cases, built on one set of ports (the routes call them; app.ts checks its own tokens with validateToken). */
export function createAuthUseCases(deps: AuthUseCaseDeps) {
  return {
    register: new Register(deps),
    login: new Login(deps),
    validateToken: new ValidateToken(deps),
  };
}

export type AuthUseCases = ReturnType<typeof createAuthUseCases>;

import type { Passwords, TokenIssuer, UserStore } from '../users/user.ports';
import { Login } from './login/login.use-case';
import { Register } from './register/register.use-case';
import { TokenVerifier, ValidateToken } from './validate-token/validate-token.use-case';

export interface AuthUseCaseDeps {
  store: UserStore;
  passwords: Passwords;
  /** Signs on registration and login, verifies on validation (token.service.ts is both). */
  tokens: TokenIssuer & TokenVerifier;
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

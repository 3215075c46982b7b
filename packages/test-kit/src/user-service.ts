import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestMongoDatabase, uniqueName } from './databases';
import { getFreePort } from './ports';
import { spawnService, SpawnedService } from './spawn-service';

/** The User service's folder: it is run from its build, never imported (packages never import services). */
export const USER_SERVICE_DIR = resolve(__dirname, '../../../services/user-service');

export interface TestUser {
  id: string;
  email: string;
  token: string;
  phone: string | null;
}

export interface UserServiceFixture {
  url: string;
  process: SpawnedService;
  register(options?: { phone?: string }): Promise<TestUser>;
  loginAdmin(): Promise<TestUser>;
  stop(): Promise<void>;
}

export interface UserServiceOptions {
  /** The INTERNAL_API_KEY it accepts (the calling service's). */
  internalKey: string;
  admin?: { email: string; password: string };
  /** Names its test database. */
  prefix?: string;
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const envelope = (await res.json()) as { success: boolean; data: T; error?: string };
  if (!res.ok || !envelope.success) throw new Error(`POST ${url} answered ${res.status}: ${envelope.error ?? JSON.stringify(envelope)}`);
  return envelope.data;
}

type AuthData = { user: { id: string; email: string; phone?: string | null }; token: string };
const toTestUser = ({ user, token }: AuthData): TestUser => ({ id: user.id, email: user.email, token, phone: user.phone ?? null });

/**
 * Runs the real User service (its built dist/main.js) on a Mongo database of its own, as in
 * production, with an admin account: the services that check tokens or read recipients call it
 * for real over HTTP in their tests.
 */
export async function startUserService(options: UserServiceOptions): Promise<UserServiceFixture> {
  if (!existsSync(join(USER_SERVICE_DIR, 'dist', 'main.js'))) {
    throw new Error(
      'services/user-service/dist/main.js does not exist: these tests run the real User service. Build it first: npx tsc -b services/user-service',
    );
  }
  const admin = options.admin ?? { email: 'admin@tests.example', password: 'admin-pass-42' };
  const db = createTestMongoDatabase(options.prefix ?? 'tests_users');
  let service: SpawnedService;
  try {
    service = await spawnService({
      name: 'user-service',
      cwd: USER_SERVICE_DIR,
      port: await getFreePort(),
      env: {
        MONGODB_URI: db.uri,
        INTERNAL_API_KEY: options.internalKey,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        BCRYPT_ROUNDS: '4',
        AUTH_RATE_LIMIT_MAX: '10000',
      },
      waitForReady: true,
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  let counter = 0;
  return {
    url: service.url,
    process: service,
    async register(extra = {}) {
      counter += 1;
      const email = `${uniqueName(`user${counter}`)}@tests.example`;
      const body = { firstName: 'Test', lastName: `User${counter}`, email, password: 'secret-pass-42', ...extra };
      return toTestUser(await postJson<AuthData>(`${service.url}/api/users/register`, body));
    },
    async loginAdmin() {
      return toTestUser(await postJson<AuthData>(`${service.url}/api/users/login`, admin));
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}

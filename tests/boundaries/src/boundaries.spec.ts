import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = resolve(__dirname, '../fixture');

/**
 * The boundary check of `npm test`, run on a fixture that breaks every rule on purpose: it must
 * fail, naming each violation. (On the real code it runs in scripts/test.sh, next to eslint.)
 */
describe('the boundary check', () => {
  let output: string;
  let status: number | null;

  beforeAll(() => {
    const cruise = spawnSync(
      process.execPath,
      [
        resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        resolve(ROOT, '.dependency-cruiser.js'),
        '--output-type',
        'json',
        'services',
        'packages',
      ],
      { cwd: FIXTURE, encoding: 'utf8' },
    );
    const check = spawnSync(process.execPath, [resolve(ROOT, 'scripts/lib/folder-cycles.js')], { input: cruise.stdout, encoding: 'utf8' });
    output = `${check.stdout}${check.stderr}`;
    status = check.status;
  }, 60_000);

  it('fails, and allows a Nest provider its dependency injection (@nestjs/common)', () => {
    expect(output).not.toMatch(/nest-domain-imports-no-http: .*catalogue\.service\.ts -> .*@nestjs\/common/);
    expect(status).toBe(1);
    expect(output).toContain('boundaries: ');
    expect(output).toContain('VIOLATED');
  });

  it('lets the wiring of a provider build its User service client', () => {
    expect(output).not.toContain('services/product-service/src/app.module.ts');
  });

  it.each([
    ['no-service-imports-another', 'services/order-service/src/orders/placement.service.ts -> services/user-service/src/thing.ts'],
    ['packages-never-import-services', 'packages/kit/src/index.ts -> services/user-service/src/thing.ts'],
    ['express-domain-imports-no-framework', 'services/order-service/src/orders/placement.service.ts -> express'],
    ['nest-domain-imports-no-http', 'services/product-service/src/catalogue/catalogue.service.ts -> @nestjs/swagger'],
    ['rules-are-plain-functions', 'services/order-service/src/orders/order.rules.ts -> @nestjs/common'],
    ['no-import-cycles', 'services/order-service/src/b/loop-'],
    ['no-cycles-between-folders', 'services/order-service: a -> b -> a'],
    ['contracts-stand-alone', 'packages/contracts/src/shapes.ts -> axios'],
    ['user-service-calls-no-service', 'services/user-service/src/users/user.view.ts -> packages/service-client/src/index.ts'],
    [
      'providers-use-service-client-only-for-the-user-client',
      'services/product-service/src/products/dto/product.view.ts -> packages/service-client/src/index.ts',
    ],
  ])('names the violation of %s', (rule, where) => {
    const line = output.split('\n').find((l) => l.includes(`${rule}: `) && l.includes(where.split(' -> ')[0]));
    expect(line).toBeDefined();
    for (const part of where.split(' -> ')) expect(line).toContain(part);
  });
});

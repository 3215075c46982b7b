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
    // A use case reaches the web, storage and other services only through its ports.
    ['use-cases-go-through-ports', 'services/order-service/src/orders/place-order/place-order.use-case.ts -> express'],
    ['use-cases-go-through-ports', 'services/order-service/src/orders/place-order/place-order.use-case.ts -> typeorm'],
    ['use-cases-go-through-ports', 'services/order-service/src/orders/place-order/place-order.use-case.ts -> axios'],
    ['express-domain-imports-no-framework', 'services/order-service/src/orders/place-order/place-order.use-case.ts -> typeorm'],
    ['no-import-cycles', 'services/order-service/src/b/loop-'],
    ['no-cycles-between-folders', 'services/order-service: a -> b -> a'],
    ['contracts-stand-alone', 'packages/contracts/src/shapes.ts -> axios'],
    ['kits-stand-apart', 'packages/nest-kit/src/index.ts -> packages/express-kit/src/index.ts'],
    ['user-service-calls-no-service', 'services/user-service/src/users/user.view.ts -> packages/service-client/src/index.ts'],
    [
      'providers-use-service-client-only-for-the-user-client',
      'services/product-service/src/products/dto/product.view.ts -> packages/service-client/src/index.ts',
    ],
  ])('names the violation of %s', (rule, where) => {
    const parts = where.split(' -> ');
    // One file may break a rule several times (one line each): the line must name both ends.
    const line = output.split('\n').find((l) => l.includes(`${rule}: `) && parts.every((part) => l.includes(part)));
    expect(line).toBeDefined();
  });
});

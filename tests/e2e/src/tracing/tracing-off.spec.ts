import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServiceName, Stack, startStack } from '../harness/stack';
import { awaitEmail, placeOrder } from '../orders/order-helpers';

const SERVICES: ServiceName[] = ['user', 'product', 'order', 'notification'];
const RECORDER = resolve(__dirname, 'record-loaded-modules.js');

/**
 * Tracing off (no OTEL_TRACES_EXPORTER) must cost nothing: no module of the SDK, its exporters or
 * instrumentations is even loaded. (@opentelemetry/api, the no-op facade, is loaded anyway:
 * prom-client imports it for exemplars.)
 */
describe('tracing off', () => {
  let stack: Stack | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'loaded-modules-'));
  const fileOf = (name: ServiceName) => join(dir, `${name}.json`);
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a whole order (HTTP calls, SQL, MongoDB, the Bull job, SMTP) runs without loading any OpenTelemetry SDK module', async () => {
    const env = Object.fromEntries(
      SERVICES.map((name) => [
        name,
        { NODE_OPTIONS: `--require ${RECORDER}`, LOADED_MODULES_FILE: fileOf(name), OTEL_TRACES_EXPORTER: 'none' },
      ]),
    );
    stack = await startStack({ env });
    const customer = await stack.registerUser();
    const product = await stack.createProduct({ price: 10, stock: 5 });
    const res = await placeOrder(stack, customer, [{ productId: product.id, quantity: 1 }]);
    expect(res.status).toBe(201);
    expect(res.headers['x-trace-id']).toBeUndefined();
    await awaitEmail(stack, res.data.data.order.id, 'Order confirmed');

    // The metrics the Grafana dashboard (deploy/observability) reads, besides the request metrics.
    const scrape = async (name: ServiceName) => (await stack!.api(name).get('/metrics')).data as string;
    const order = await scrape('order');
    expect(order).toMatch(/^service_client_circuit_state\{[^}]*target="product-service"[^}]*\} 0$/m);
    expect(order).toMatch(/^outbox_backlog_messages\{[^}]*\} \d+$/m);
    expect(order).toMatch(/^outbox_oldest_age_seconds\{[^}]*\} [\d.e+-]+$/m);
    expect(await scrape('product')).toMatch(/^# TYPE reservation_sweeps_total counter$/m);
    expect(await scrape('notification')).toMatch(/^notification_deliveries_total\{[^}]*outcome="sent"[^}]*\} 1$/m);
    for (const name of SERVICES) await stack.stop(name);

    for (const name of SERVICES) {
      const loaded = JSON.parse(readFileSync(fileOf(name), 'utf8')) as string[];
      // The recorder saw the service's own code and the libraries that tracing would patch.
      expect(loaded.some((path) => path.includes(`${name}-service`) && path.endsWith('main.js'))).toBe(true);
      expect(loaded.some((path) => path.includes('/node_modules/express/'))).toBe(true);
      expect(loaded.some((path) => path.includes('/packages/telemetry/dist/register.js'))).toBe(true);
      expect({ service: name, sdk: loaded.filter((path) => /@opentelemetry\/(?!api\/)/.test(path)) }).toEqual({
        service: name,
        sdk: [],
      });
    }
  }, 120_000);
});

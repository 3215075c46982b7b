#!/usr/bin/env node
// Load benchmarks of the running stack (./start-services.sh first). Each scenario runs for a
// bounded time against loopback only and prints throughput and latency percentiles.
//   node benchmarks/run.js [scenario ...]      (default: all)
//   BENCH_DURATION=10 BENCH_CONNECTIONS=16 node benchmarks/run.js orders
'use strict';
const autocannon = require('autocannon');

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:3001';
const PRODUCT = process.env.PRODUCT_SERVICE_URL ?? 'http://127.0.0.1:3002';
const ORDER = process.env.ORDER_SERVICE_URL ?? 'http://127.0.0.1:3003';
const KEY = (process.env.INTERNAL_API_KEY ?? 'workshop_internal_key_2023').split(',')[0];
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

for (const url of [USER, PRODUCT, ORDER]) {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`benchmarks only target this machine (loopback), not ${url}`);
  }
}

async function call(method, url, body, headers = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!json.success) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** A customer, a category and a product with stock enough for every order the run can make. */
async function fixtures() {
  const email = `bench-${Date.now()}@example.com`;
  const password = 'Bench-password-1';
  const { token } = await call('POST', `${USER}/api/users/register`, { firstName: 'Bench', lastName: 'Mark', email, password });
  const internal = { 'x-internal-key': KEY };
  const { category } = await call('POST', `${PRODUCT}/api/categories`, { name: `Bench ${Date.now()}` }, internal);
  const products = [];
  for (let i = 0; i < 3; i++) {
    const { product } = await call(
      'POST',
      `${PRODUCT}/api/products`,
      {
        name: `Bench product ${i} ${Date.now()}`,
        description: 'for benchmarks',
        price: 19.99 + i,
        categoryId: category.id,
        stock: 10_000_000,
        tags: ['bench'],
      },
      internal,
    );
    products.push(product);
  }
  // A few orders so the order list has something to enrich.
  for (let i = 0; i < 5; i++) {
    await call(
      'POST',
      `${ORDER}/api/orders`,
      { items: products.map((p) => ({ productId: p.id, quantity: 1 })) },
      { authorization: `Bearer ${token}` },
    );
  }
  return { token, products };
}

const scenarios = {
  'products-list': () => ({ url: `${PRODUCT}/api/products?limit=20&sort=-createdAt` }),
  'products-batch': ({ products }) => ({ url: `${PRODUCT}/api/products/batch?ids=${products.map((p) => p.id).join(',')}` }),
  profile: ({ token }) => ({ url: `${USER}/api/users/profile`, headers: { authorization: `Bearer ${token}` } }),
  'orders-list': ({ token }) => ({ url: `${ORDER}/api/orders?limit=20`, headers: { authorization: `Bearer ${token}` } }),
  'orders-create': ({ token, products }) => ({
    url: `${ORDER}/api/orders`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items: products.map((p) => ({ productId: p.id, quantity: 1 })) }),
  }),
};

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(scenarios);
  const unknown = names.filter((n) => !scenarios[n]);
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  const data = await fixtures();
  const rows = [];
  for (const name of names) {
    const result = await autocannon({ ...scenarios[name](data), connections: CONNECTIONS, duration: DURATION });
    const non2xx = result.non2xx + result.errors + result.timeouts;
    rows.push({
      scenario: name,
      'req/s': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      requests: result.requests.total,
      'non-2xx/errors': non2xx,
    });
  }
  console.log(`\n${CONNECTIONS} connections, ${DURATION}s per scenario, ${require('node:os').cpus().length} cores`);
  console.table(rows);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});

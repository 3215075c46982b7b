'use strict';
// What the scenarios need, made through the services' own APIs and kept between runs (found
// again by name and email): a category of many products with ample stock, a few buyers,
// customers with 20 and (when asked) with 10,000 orders, and (when asked) sets of buyers of
// their own for the steps of the pipeline and for the soak.

const PASSWORD = 'Bench-password-1';
const CATEGORY = 'Bench catalogue';
const AMPLE_STOCK = 100_000_000;
const TOP_UP_BELOW = 10_000_000;

async function call(method, url, { body, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || !json.success) {
    const err = new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    err.status = res.status;
    throw err;
  }
  return json.data;
}

/** Runs `fn(i)` for i in [0, n) with at most `concurrency` at once. */
async function parallel(n, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

async function ensureProducts(urls, internalKey, count, log) {
  const internal = { 'x-internal-key': internalKey };
  const { categories } = await call('GET', `${urls.product}/api/categories`);
  let category = categories.find((c) => c.name === CATEGORY);
  if (!category) ({ category } = await call('POST', `${urls.product}/api/categories`, { body: { name: CATEGORY }, headers: internal }));
  const products = [];
  for (let page = 1; ; page++) {
    const data = await call('GET', `${urls.product}/api/products?categoryId=${category.id}&limit=100&page=${page}&sort=createdAt`);
    products.push(...data.products);
    if (data.products.length < 100) break;
  }
  const missing = Math.max(0, count - products.length);
  if (missing) log(`creating ${missing} products (category "${CATEGORY}")`);
  await parallel(missing, 8, async (i) => {
    const { product } = await call('POST', `${urls.product}/api/products`, {
      headers: internal,
      body: {
        name: `Bench product ${products.length + i + 1}`,
        description: 'made by npm run bench',
        price: 5 + ((products.length + i) % 50) + 0.99,
        categoryId: category.id,
        stock: AMPLE_STOCK,
        tags: ['bench'],
      },
    });
    products.push(product);
  });
  const low = products.filter((p) => p.stock < TOP_UP_BELOW);
  if (low.length) log(`topping up the stock of ${low.length} products`);
  await parallel(low.length, 8, (i) =>
    call('PUT', `${urls.product}/api/products/${low[i].id}/stock`, { headers: internal, body: { quantity: AMPLE_STOCK - low[i].stock } }),
  );
  return products.slice(0, count).map((p) => p.id);
}

/** Logs in (or registers) the customer with that email; returns { email, token, id }. */
async function ensureUser(urls, email) {
  let data;
  try {
    data = await call('POST', `${urls.user}/api/users/login`, { body: { email, password: PASSWORD } });
  } catch (err) {
    if (err.status !== 401) throw err;
    data = await call('POST', `${urls.user}/api/users/register`, {
      body: { firstName: 'Bench', lastName: 'Mark', email, password: PASSWORD },
    });
  }
  return { email, password: PASSWORD, token: data.token, id: data.user.id };
}

async function orderCount(urls, user) {
  const data = await call('GET', `${urls.order}/api/orders?limit=1`, { headers: { authorization: `Bearer ${user.token}` } });
  return data.pagination.total;
}

/**
 * Places orders for `user` until it has `wanted`, in parallel, each on the next product; the
 * number placed. The Order API has no bulk path, so a large customer is placed once (about a
 * minute for 10,000) and kept; its confirmation emails take longer, and the caller waits for them.
 */
async function ensureOrders(urls, user, wanted, productIds, log, concurrency = 16) {
  const have = await orderCount(urls, user);
  const missing = Math.max(0, wanted - have);
  if (!missing) return 0;
  log(`placing ${missing} orders for ${user.email} (${concurrency} in parallel)`);
  const started = Date.now();
  await parallel(missing, concurrency, (i) =>
    call('POST', `${urls.order}/api/orders`, {
      headers: { authorization: `Bearer ${user.token}` },
      body: { items: [{ productId: productIds[(have + i) % productIds.length], quantity: 1 }] },
    }),
  );
  log(`  ${missing} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return missing;
}

/** Logs in (or registers) `count` users named bench-<prefix>-<n>, 8 at a time (each is a bcrypt hash). */
async function ensureUsers(urls, prefix, count) {
  const users = new Array(count);
  await parallel(count, 8, async (i) => {
    users[i] = await ensureUser(urls, `bench-${prefix}-${i + 1}@bench.example.com`);
  });
  return users;
}

/**
 * What the scenarios need. `bigCustomer`: the number of orders of the large customer (none when
 * 0); `buyerSets`: { name: count } of extra buyers, each set its own users (e.g. one per pipeline
 * step). `placed` is the number of orders this seeding placed (their emails are still on the way).
 */
async function seed({ urls, internalKey, productCount, buyers, bigCustomer = 0, buyerSets = {}, log }) {
  const productIds = await ensureProducts(urls, internalKey, productCount, log);
  const with20 = await ensureUser(urls, 'bench-orders-20@bench.example.com');
  const buyerUsers = await ensureUsers(urls, 'buyer', buyers);
  let placed = await ensureOrders(urls, with20, 20, productIds, log);
  let withMany;
  if (bigCustomer) {
    withMany = await ensureUser(urls, `bench-orders-${bigCustomer}@bench.example.com`);
    placed += await ensureOrders(urls, withMany, bigCustomer, productIds, log, 32);
  }
  const sets = {};
  for (const [name, count] of Object.entries(buyerSets)) sets[name] = await ensureUsers(urls, name, count);
  return { productIds, with20, withMany, buyers: buyerUsers, buyerSets: sets, placed };
}

module.exports = { seed, call };

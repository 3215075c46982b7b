import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueName } from '@shop/test-kit';
import type { InvariantResult } from '../checks/invariants';
import { ADMIN } from '../harness/fault-stack';
import type { Fault, FaultContext } from './catalogue';

/** What one kind of probe saw during the outage. */
interface Probe {
  name: string;
  sent: number;
  failures: string[];
}

const probe = (name: string): Probe => ({ name, sent: 0, failures: [] });

async function record(p: Probe, call: () => Promise<Response>): Promise<void> {
  p.sent += 1;
  try {
    const res = await call();
    if (res.status !== 200 && res.status !== 201) p.failures.push(`${res.status} ${(await res.text()).slice(0, 200)}`);
  } catch (err) {
    p.failures.push((err as Error).message);
  }
}

const asInvariant = (p: Probe): InvariantResult => ({
  name: p.name,
  held: p.sent > 0 && p.failures.length === 0,
  checked: p.sent,
  broken: p.sent === 0 ? 1 : p.failures.length,
  examples: p.failures.slice(0, 5),
});

/**
 * Redis away for `outageMs`: it backs only the User service's sign-in and registration limits,
 * which fail open to each process's memory by a documented choice. The User service must stay
 * ready throughout (each replica, asked directly, as a Kubernetes readiness probe does, so no pod
 * leaves its Service), sign-in must keep working, and so must every other service's token check
 * (their token caches last 2 s here: each check of the outage asks the User service).
 */
export function redisDownUserReady(outageMs: number): Fault {
  return {
    id: 'redis-down-user-ready',
    title: `Redis down for ${outageMs / 1000} s, the User service's readiness, sign-in and token checks watched`,
    async inject(ctx: FaultContext) {
      const { stack } = ctx;
      const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      // A customer of its own, registered while Redis is up, so its password is known.
      const customer = {
        firstName: 'Redis',
        lastName: 'Outage',
        email: `${uniqueName('redis')}@faults.test`,
        password: 'faults-password-1',
      };
      const registered = await fetch(`${stack.urls.user}/api/users/register`, json(customer));
      if (registered.status !== 201) throw new Error(`registering the outage's customer answered ${registered.status}`);
      const signIn = async (who: { email: string; password: string }) => {
        const res = await fetch(`${stack.urls.user}/api/users/login`, json({ email: who.email, password: who.password }));
        const body = (await res.json()) as { data?: { token?: string } };
        if (res.status !== 200 || !body.data?.token) throw new Error(`signing in answered ${res.status}`);
        return { Authorization: `Bearer ${body.data.token}` };
      };
      const userAuth = await signIn(customer);
      const adminAuth = await signIn(ADMIN);

      const ready = probe('the User service answered 200 on /health/ready throughout (each replica, asked directly)');
      const signIns = probe('sign-in kept working (POST /api/users/login answered 200)');
      const tokens = probe('the other services kept checking tokens (Order, Notification as a customer; Product as an admin)');

      const server = stack.servers.redis;
      ctx.log(`redis SIGKILL, down for ${outageMs} ms, the User service watched`);
      await server.kill();
      const until = Date.now() + outageMs;
      let n = 0;
      try {
        while (Date.now() < until) {
          n += 1;
          await Promise.all([
            ...stack.replicaUrls.user.map((url) => record(ready, () => fetch(`${url}/health/ready`))),
            record(signIns, () =>
              fetch(`${stack.urls.user}/api/users/login`, json({ email: customer.email, password: customer.password })),
            ),
            record(tokens, () => fetch(`${stack.urls.order}/api/orders`, { headers: userAuth })),
            // Straight to a replica: the Notification service's own readiness may follow its Redis.
            ...stack.replicaUrls.notification.map((url) =>
              record(tokens, () => fetch(`${url}/api/notifications/me`, { headers: userAuth })),
            ),
            record(tokens, () =>
              fetch(`${stack.urls.product}/api/categories`, {
                ...json({ name: `Outage ${uniqueName('c')}-${n}` }),
                headers: { 'Content-Type': 'application/json', ...adminAuth },
              }),
            ),
          ]);
          await sleep(250);
        }
      } finally {
        await server.start();
      }
      ctx.log(
        `redis started again; ${ready.sent} readiness probes, ${signIns.sent} sign-ins, ${tokens.sent} token checks during the outage`,
      );
      for (const p of [ready, signIns, tokens]) ctx.invariant(asInvariant(p));
    },
  };
}

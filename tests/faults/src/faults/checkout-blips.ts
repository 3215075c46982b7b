import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, FaultContext } from './catalogue';

/**
 * Checkouts while the Order service's database connections are cut again and again: every
 * 500 ms its route to PostgreSQL is disabled for 150 ms (Toxiproxy closes every open connection),
 * so blips land at every step of a checkout, the one statement that confirms the order and
 * removes its cart lines included (its commit may be cut before or after it lands). The load is
 * checkouts of carts, each sent again after an error answer; checks/checkouts.ts judges them.
 */
export function checkoutBlips(holdMs: number): Fault {
  return {
    id: 'checkout-db-blips',
    title: `Checkouts while the Order service's database connections are cut every 500 ms for ${holdMs / 1000} s`,
    load: 'checkouts',
    async inject(ctx: FaultContext) {
      ctx.log(`order→postgres disabled 150 ms of every 500 ms, for ${holdMs} ms`);
      const until = Date.now() + holdMs;
      let blips = 0;
      try {
        while (Date.now() < until) {
          await ctx.stack.toxiproxy.setEnabled('order-postgres', false);
          blips += 1;
          await sleep(150);
          await ctx.stack.toxiproxy.setEnabled('order-postgres', true);
          await sleep(350);
        }
      } finally {
        await ctx.stack.toxiproxy.setEnabled('order-postgres', true);
      }
      ctx.log(`${blips} blips`);
    },
  };
}

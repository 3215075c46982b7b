import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNotificationServiceConfig } from '../../../services/notification-service/src/config';
import { loadOrderServiceConfig } from '../../../services/order-service/src/config';
import { loadProductServiceConfig } from '../../../services/product-service/src/config';
import { loadUserServiceConfig } from '../../../services/user-service/src/config';

const ROOT = resolve(__dirname, '../../..');

type Load = (options: { env: Record<string, string>; envFile: false }) => Readonly<Record<string, unknown>>;

const SERVICES: Record<string, Load> = {
  User: loadUserServiceConfig as Load,
  Product: loadProductServiceConfig as Load,
  Order: loadOrderServiceConfig as Load,
  Notification: loadNotificationServiceConfig as Load,
};

interface Row {
  variables: string[];
  /** One backticked default per variable, or none when the cell says it otherwise ("as above", "none"). */
  defaults: string[];
}

/** The README's configuration tables: "Every service:" and one per service ("Order service (:3003):"). */
function configurationTables(): Map<string, Row[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const tables = new Map<string, Row[]>();
  let current: Row[] | undefined;
  for (const line of section.split('\n')) {
    const heading = /^(Every service|User service|Product service|Order service|Notification service)\b/.exec(line);
    if (heading) tables.set(heading[1].split(' ')[0], (current = []));
    if (!current || !line.startsWith('| `')) continue;
    const [, name, fallback] = line.split('|').map((cell) => cell.trim());
    const variables = [...name.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]);
    const defaults = [...fallback.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    current.push({ variables, defaults: defaults.length === variables.length ? defaults : [] });
  }
  return tables;
}

describe("README's configuration tables match the services' config", () => {
  const tables = configurationTables();
  const everyService = tables.get('Every') ?? [];

  it('reads a table for every service', () => {
    expect([...tables.keys()].sort()).toEqual(['Every', 'Notification', 'Order', 'Product', 'User']);
  });

  describe.each(Object.entries(SERVICES))('%s service', (service, load) => {
    const rows = [...everyService, ...(tables.get(service) ?? [])];
    const defaults = load({ env: {}, envFile: false });

    it('documents every setting it reads', () => {
      const documented = new Set(rows.flatMap((row) => row.variables));
      // "(and the other `*_SERVICE_URL`)" covers the service URLs a service is given but does not call.
      const undocumented = Object.keys(defaults).filter((name) => !documented.has(name) && !name.endsWith('_SERVICE_URL'));
      expect(undocumented).toEqual([]);
    });

    it('reads every setting its table names', () => {
      const known = new Set(Object.keys(defaults));
      const rowsOfItsOwn = tables.get(service) ?? [];
      // Optional settings without a default (SMTP_USER, ADMIN_EMAIL) are absent from the parsed object.
      const unread = rowsOfItsOwn
        .filter((row) => row.defaults.length > 0)
        .flatMap((row) => row.variables)
        .filter((name) => !known.has(name));
      expect(unread).toEqual([]);
    });

    it('has the defaults the table states (setting one to its documented default changes nothing)', () => {
      const wrong = rows.flatMap((row) =>
        row.variables.flatMap((name, i) => {
          const documented = row.defaults[i];
          if (documented === undefined || !(name in defaults)) return [];
          const set = load({ env: { [name]: documented }, envFile: false })[name];
          return JSON.stringify(set) === JSON.stringify(defaults[name])
            ? []
            : [`${name}: README ${documented}, code ${String(defaults[name])}`];
        }),
      );
      expect(wrong).toEqual([]);
    });
  });
});

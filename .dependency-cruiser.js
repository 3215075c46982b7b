// The boundaries of the monorepo, checked by `npm test` (scripts/test.sh) with dependency-cruiser:
//   npx depcruise --config .dependency-cruiser.js packages services tests --output-type json | node scripts/lib/folder-cycles.js
// scripts/lib/folder-cycles.js prints these rules' violations and adds the one rule
// dependency-cruiser cannot express: no import cycles between the folders of a service.
// tests/boundaries/src/boundaries.spec.ts shows each rule failing on a deliberate violation.
// docs/architecture.md ("Boundaries") says why each rule exists; the exceptions below say why they stand.
const { join } = require('node:path');

/*
 * Domain files hold the business rules: `*.service.ts`, `*.rules.ts`, `*.use-case.ts` (and a use
 * case's `*.steps.ts`, the details of its `execute`).
 * - In the Express services (User, Order) they import no web framework and no kit at all, and no
 *   storage driver or HTTP client either: storage and other services come in through ports
 *   (interfaces the use case declares; repositories and @shop/service-client implement them).
 * - A use case, in any service, imports none of those: that is what lets its spec run it on
 *   in-memory fakes.
 * - In the Nest services (Product, Notification) a `*.service.ts` is a Nest provider, built by
 *   Nest's dependency injection: `@Injectable`, `@Inject(APP_CONFIG)` and `@InjectRepository`
 *   are its wiring, not HTTP. So it may import @nestjs/common, the storage modules'
 *   injectors (@nestjs/typeorm, @nestjs/mongoose, @nestjs/bull) and @shop/nest-kit (whose
 *   CoreModule holds the injection tokens), but nothing that speaks HTTP: express,
 *   @nestjs/core, @nestjs/platform-express, @nestjs/swagger, @shop/express-kit, @shop/http-kit,
 *   controllers.
 * - A `*.rules.ts` is plain functions everywhere: no framework and no kit.
 */
// Resolved (node_modules/...) or, where it cannot be resolved, as written.
const HTTP = [
  '(^|/)node_modules/express/',
  '^express$',
  '(^|/)node_modules/@types/express',
  '(^|/)node_modules/@nestjs/(core|platform-express|swagger)/',
  '^@nestjs/(core|platform-express|swagger)$',
  '(^|/)node_modules/swagger-ui-express/',
  '^packages/(express|http)-kit/',
  '^@shop/(express|http)-kit$',
  '\\.(routes|controller)\\.ts$',
];
const ANY_FRAMEWORK = [...HTTP, '(^|/)node_modules/@nestjs/', '^@nestjs/', '^packages/nest-kit/', '^@shop/nest-kit$'];
// Storage drivers and the HTTP client: a domain file reaches them only through a port.
const STORAGE_AND_CLIENTS = ['(^|/)node_modules/(typeorm|pg|axios)/', '(^|/)node_modules/@types/pg/', '^(typeorm|pg|axios)$'];

module.exports = {
  forbidden: [
    {
      name: 'no-service-imports-another',
      comment: 'Services talk over HTTP through @shop/service-client, never by importing each other.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-never-import-services',
      comment: 'Packages are shared by every service; a package that knew a service would tie them together.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'contracts-stand-alone',
      comment:
        "The shapes both sides of a call compile against: no HTTP client, no framework, no other package, so a provider can use them without its callers' client.",
      severity: 'error',
      from: { path: '^packages/contracts/' },
      to: { pathNot: '^packages/contracts/' },
    },
    {
      name: 'kits-stand-apart',
      comment:
        'The Express and the Nest kit never import each other: what both use (request id, logging, metrics, health, error writing, docs CSP, OpenAPI helpers) is in @shop/http-kit, which imports neither.',
      severity: 'error',
      from: { path: '^packages/(express|nest|http)-kit/' },
      to: { path: '^packages/(express|nest)-kit/|^@shop/(express|nest)-kit$', pathNot: '^packages/$1-kit/' },
    },
    {
      name: 'user-service-calls-no-service',
      comment: 'The User service only provides: the shapes it answers with come from @shop/contracts, and it has no client to call anyone.',
      severity: 'error',
      from: { path: '^services/user-service/' },
      to: { path: '^packages/service-client/' },
    },
    {
      name: 'providers-use-service-client-only-for-the-user-client',
      comment:
        'Product and Notification provide to the Order service and call only the User service: the service client is for the files that build or use that User client, never for the shapes they provide (@shop/contracts).',
      severity: 'error',
      from: {
        path: '^services/(product|notification)-service/',
        pathNot: [
          '^services/(product|notification)-service/src/app(\\.module)?\\.ts$',
          '^services/notification-service/src/delivery/recipient\\.lookup\\.ts$',
        ],
      },
      to: { path: '^packages/service-client/' },
    },
    {
      name: 'no-import-cycles',
      comment: 'A cycle between modules means neither can be understood (or tested) without the other.',
      severity: 'error',
      // TypeORM's two-sided relations name each other (lazily: `() => OrderEntity`), its documented pattern.
      from: { path: '^(services|packages)/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'express-domain-imports-no-framework',
      comment: 'Business rules of the Express services know no web framework, storage driver or HTTP client (see the comment above).',
      severity: 'error',
      from: {
        path: '^services/(user|order)-service/src/.+\\.(service|rules|use-case|steps)\\.ts$',
      },
      to: { path: [...ANY_FRAMEWORK, ...STORAGE_AND_CLIENTS] },
    },
    {
      name: 'use-cases-go-through-ports',
      comment:
        'A use case (and its steps) takes the web, storage and other services only through ports, in every service: no express, @nestjs/*, typeorm, pg or axios.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/.+\\.(use-case|steps)\\.ts$' },
      to: { path: [...ANY_FRAMEWORK, ...STORAGE_AND_CLIENTS] },
    },
    {
      name: 'nest-domain-imports-no-http',
      comment: 'Nest providers with business rules use Nest only for dependency injection (see the comment above).',
      severity: 'error',
      from: { path: '^services/(product|notification)-service/src/.+\\.(service|use-case)\\.ts$' },
      to: { path: HTTP },
    },
    {
      name: 'rules-are-plain-functions',
      comment: 'A *.rules.ts file is framework-free everywhere.',
      severity: 'error',
      from: { path: '\\.rules\\.ts$' },
      to: { path: ANY_FRAMEWORK },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The fixture breaks every rule on purpose (tests/boundaries).
    exclude: { path: '^(packages|services|tests)/[^/]+/dist/|^tests/boundaries/fixture/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    // `@shop/<name>` resolves to the package's source (tsconfig.depcruise.json's paths).
    tsConfig: { fileName: join(__dirname, 'tsconfig.depcruise.json') },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};

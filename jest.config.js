// One jest configuration for every workspace. SWC transpiles TypeScript (about twice as fast as
// ts-jest) and keeps legacy decorators + metadata, which NestJS dependency injection needs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/tests'],
  testMatch: ['**/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Tests run against the packages' sources, so no build is needed before `jest`.
  moduleNameMapper: {
    '^@shop/(contracts|errors|internal-auth|config|migrations|observability|runtime|http-kit|express-kit|nest-kit|service-client|test-kit|telemetry)$':
      '<rootDir>/packages/$1/src/index.ts',
  },
  // Real databases and real HTTP servers: allow for slow CI machines.
  testTimeout: 30000,
  maxWorkers: 2,
};

export { loadConfig, secret, ConfigError } from './load-config';
export type { ConfigRule, LoadConfigOptions } from './load-config';
export * from './env-fragments';
export { z } from 'zod';
export { MONGO_CONNECTION_OPTIONS } from './mongo-connection';

export * from './app-error';
export * from './error-envelope';
export * from './storage-errors';

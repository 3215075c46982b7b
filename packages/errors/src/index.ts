export * from './app-error';
export * from './envelope';
export * from './storage-errors';
export * from './pagination';

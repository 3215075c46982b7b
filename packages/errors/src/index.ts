export * from './app-error';
export * from './envelope';

export * from './request-context';
export * from './logger';
export * from './metrics';
export * from './readiness';
export * from './startup-failure';
export * from './process-handlers';
export * from './periodic-task';
export * from './mongo-watchdog';

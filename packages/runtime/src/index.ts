export * from './startup-failure';
export * from './process-handlers';
export * from './periodic-task';
export * from './mongo-watchdog';

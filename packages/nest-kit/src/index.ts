export * from './access.guard';
export * from './exception.filter';
export * from './validation.pipe';
export * from './nest-logger';
export * from './configure-nest-app';
export * from './api-docs';
export * from './swagger-ui';
export * from './core.module';

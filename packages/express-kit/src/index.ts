export * from './common-middleware';
export * from './error-handler.middleware';
export * from './validate.middleware';
export * from './auth.middleware';
export * from './api-docs.routes';
export * from './http-server';
export * from './openapi.schemas';
export * from './page-query.schema';

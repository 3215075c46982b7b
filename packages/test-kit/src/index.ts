export * from './databases';
export * from './ports';
export * from './wait-for';
export * from './smtp-inbox';
export * from './spawn-service';
export * from './redis';
export * from './user-service';
export * from './tcp-proxy';

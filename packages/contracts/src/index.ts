export * from './shapes';
export * from './order-lines';
export * from './envelope';
export * from './pagination';

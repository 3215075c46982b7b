export * from './shapes';
export * from './order-lines';

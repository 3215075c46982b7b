/** Injection tokens for what the app receives from main.ts (or a test) rather than builds itself. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');
export const USER_SERVICE = Symbol('USER_SERVICE');

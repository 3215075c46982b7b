// `npm run test:fuzz`: the fuzzing run only (not part of `npm test`: it takes minutes).
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/src/fuzz/*.fuzz.ts'],
  testTimeout: 60 * 60 * 1000,
  maxWorkers: 1,
};

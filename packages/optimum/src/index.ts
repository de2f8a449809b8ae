export * from './config.js';
export { highsRuntime } from './highs.js';
export type { AnyMarket } from './market.js';
export * from './price.js';
export * from './repair.js';
export * from './solve.js';
export * from './static.js';

/**
 * `@diffcontract/env/testing`: fast-check mutations of market and contract files, for fuzz suites
 * (the apps' and a user's own). Needs fast-check installed beside it.
 */
export * from './testing/mutations.js';

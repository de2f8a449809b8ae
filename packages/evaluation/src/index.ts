export * from './deliver.js';
export * from './evaluate.js';
export * from './markets.js';
export * from './optimum.js';
export * from './probe.js';
export * from './summary.js';

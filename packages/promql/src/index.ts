export * from './label-matchers.js';
export * from './stats.js';

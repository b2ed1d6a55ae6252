export * from './label-matchers.js';
export * from './rate-sum.js';
export * from './stats.js';
export * from './edges.js';
export * from './routes.js';
export * from './service.js';
export * from './stats-traffic.js';
export * from './identity.js';

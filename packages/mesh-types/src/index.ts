export * from './metrics.js';
export * from './resources.js';
export * from './stats.js';
export * from './errors.js';
export * from './discovery.js';
export * from './mesh-file.js';

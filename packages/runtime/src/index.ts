export * from './admin-server.js';
export * from './env.js';
export * from './host-allow-list.js';
export * from './host-port.js';
export * from './log-destination.js';
export * from './parent-watch.js';
export * from './stop-signals.js';

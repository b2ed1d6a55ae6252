// Helpers for tests of code that talks to the API (Node only: never imported by what runs in the browser).
export * from './api-failure.js';
export * from './echo-wording.js';
export * from './http-fixture.js';
export * from './tap-events.js';

import { createRequire } from 'node:module';

// package.json sits outside src/ (tsc's rootDir), so it is read at runtime rather than imported; the relative
// path is the same from src/ (tests) and dist/ (the bin).
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** The proxy's version, as reported by proxy_build_info. */
export const PROXY_VERSION: string = pkg.version;

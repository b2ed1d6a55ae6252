import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebServer } from '../../../playwright/src/web-server.js';
import { exchangeRaw, statusCodes } from '../support/raw-socket.js';

/**
 * Path traversal against the built dashboard (`next start`), sent as raw request targets so no client normalises
 * them: dot segments, percent-encoded and double-encoded dots and slashes, backslashes, NUL, through the static
 * asset prefix and the API forwarder. None may answer with a file from outside what the server serves (system
 * files, the app's package.json, its sources or build manifests), and none may be a 500.
 */
const TARGETS = [
  '/../../../../etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/_next/static/../../../../../etc/passwd',
  '/_next/static/%2e%2e/%2e%2e/%2e%2e/package.json',
  '/_next/static/..%2f..%2f..%2fpackage.json',
  '/_next/static/..%5c..%5c..%5cpackage.json',
  '/_next/static/chunks/..%2f..%2fbuild-manifest.json',
  '/_next/../package.json',
  '/_next/static/%2e%2e%2f%2e%2e%2fserver%2fapp-paths-manifest.json',
  '/_next/image?url=file:///etc/passwd&w=64&q=75',
  '/_next/image?url=/../../package.json&w=64&q=75',
  '/api/v1/..%2f..%2f..%2f..%2fetc/passwd',
  '/api/v1/%2e%2e/%2e%2e/package.json',
  '/favicon.ico/..%2f..%2fpackage.json',
  '/src/config.ts',
  '/.next/BUILD_ID',
  '/.env',
  '/package.json',
  '/next.config.ts',
  '/%00/etc/passwd',
  '/..;/..;/etc/passwd',
  '//etc/passwd',
];

/** What would show a file from outside the served set. */
const LEAKS = [/root:x:0:0/, /"name":\s*"@meshviz\/web"/, /MESHVIZ_API_URL/, /"pages":\s*\{/, /BUILD_ID|buildId/];

let web: WebServer;
beforeAll(async () => {
  web = await startWeb('http://127.0.0.1:9');
}, 90_000);
afterAll(async () => web?.stop());

describe('path traversal against the dashboard server', () => {
  it.each(TARGETS)('%s: no file from outside, no 500', async (target) => {
    const address = web.url.replace('http://', '').replace(/\/$/, '');
    const out = await exchangeRaw(address, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), 15_000);
    expect(out.hung).toBe(false);
    const text = out.data.toString('latin1');
    const status = statusCodes(out.data)[0];
    expect(status, text.slice(0, 300)).not.toBe(500);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    for (const leak of LEAKS) expect(body, `${target} answered ${status}`).not.toMatch(leak);
  });
});

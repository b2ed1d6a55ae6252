#!/usr/bin/env node
/**
 * Records what a real Prometheus answers to the queries behind some API calls, for the route tests.
 * Usage: node dist/testing/record-fixtures.js <prometheus-url> <out.json> <api-path> [<api-path> …]
 * e.g.   … http://127.0.0.1:9090 stats.json '/api/v1/stats?window=1m'
 * It runs the API in-process against a recording pass-through in front of Prometheus.
 */
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.js';
import { fixtureKey } from './recorded-prometheus.js';

const [url, out, ...paths] = process.argv.slice(2);
if (!url || !out || paths.length === 0) {
  process.stderr.write('usage: record-fixtures <prometheus-url> <out.json> <api-path> [<api-path> …]\n');
  process.exit(2);
}
const recorded: Record<string, unknown> = {};
const recorder = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', async () => {
    const target = new URL(req.url ?? '/', url);
    const upstream = await fetch(target, {
      method: req.method ?? 'GET',
      headers: { 'content-type': String(req.headers['content-type'] ?? 'application/x-www-form-urlencoded') },
      ...(req.method === 'POST' ? { body } : {}),
    });
    const json = await upstream.json();
    const params = new URLSearchParams(req.method === 'POST' ? body : target.search);
    recorded[fixtureKey(target.pathname, params)] = json;
    res.setHeader('content-type', 'application/json');
    res.statusCode = upstream.status;
    res.end(JSON.stringify(json));
  });
});
await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
const { port } = recorder.address() as AddressInfo;
const app = buildApp({
  config: { prometheusUrl: `http://127.0.0.1:${port}`, prometheusTimeoutMs: 10_000, logLevel: 'warn' },
});
await app.ready();
for (const p of paths) {
  const res = await app.inject({ url: p });
  process.stdout.write(`${res.statusCode} ${p}\n`);
}
await app.close();
recorder.close();
// One answer per line: bucket answers are large, and a diff should still show which queries changed.
const lines = Object.entries(recorded).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
await writeFile(out, `{\n${lines.join(',\n')}\n}\n`);
process.stdout.write(`recorded ${Object.keys(recorded).length} Prometheus answers to ${out}\n`);

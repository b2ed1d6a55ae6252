import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, STREAMS } from './endpoints.js';

const SRC = path.dirname(fileURLToPath(import.meta.url));

describe('the endpoint table', () => {
  it('names each path parameter in its params schema, and no other', () => {
    for (const endpoint of [...Object.values(ENDPOINTS), ...Object.values(STREAMS)]) {
      const inPath = [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = 'params' in endpoint ? Object.keys(endpoint.params.shape) : [];
      expect(inPath, endpoint.path).toEqual(declared);
    }
  });

  it('gives every schema one name, and every name one schema', () => {
    const named = [
      ...Object.values(ENDPOINTS).map((e) => e.response),
      ...Object.values(STREAMS).flatMap((s) => Object.values(s.events)),
    ];
    const byName = new Map<string, unknown>();
    for (const { name, schema } of named) {
      expect(byName.get(name) ?? schema, name).toBe(schema);
      byName.set(name, schema);
    }
  });
});

describe('the package', () => {
  // The dashboard bundles it for the browser: only its Node-only testing helpers and tests may use node: modules.
  it('imports no node: module outside its tests and testing helpers', () => {
    const shipped = readdirSync(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(shipped.length).toBeGreaterThan(5);
    for (const file of shipped) expect(readFileSync(path.join(SRC, file), 'utf8'), file).not.toMatch(/from ['"]node:/);
  });
});

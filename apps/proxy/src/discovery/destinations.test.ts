import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationsFile } from '@meshviz/mesh-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import { silentLog } from '../testing/test-config.js';
import { DestinationsTable, parseDestinations } from './destinations.js';
import { openDestinations } from './watch.js';

const file = (pods: string[]): DestinationsFile => ({
  services: {
    'catalog.bookshop.svc.cluster.local': {
      namespace: 'bookshop',
      service: 'catalog',
      endpoints: pods.map((pod, i) => ({
        addr: `127.0.0.1:${4200 + i}`,
        namespace: 'bookshop',
        deployment: 'catalog',
        pod,
      })),
    },
  },
});

describe('DestinationsTable', () => {
  it('matches hosts without port and builds stable labelled targets', () => {
    const table = new DestinationsTable();
    table.replace(file(['catalog-0', 'catalog-1']));
    const service = table.lookup('catalog.bookshop.svc.cluster.local');
    expect(service?.endpoints.map((e) => e.destination.targetAddr)).toEqual(['127.0.0.1:4200', '127.0.0.1:4201']);
    expect(service?.endpoints[1]?.destination.meta).toEqual({
      service: 'catalog',
      namespace: 'bookshop',
      deployment: 'catalog',
      pod: 'catalog-1',
    });
    expect(service?.destination).toMatchObject({ targetAddr: '', meta: { service: 'catalog', namespace: 'bookshop' } });
    const firstKey = service?.endpoints[0]?.destination.key;
    table.replace(file(['catalog-0']));
    expect(table.lookup('catalog.bookshop.svc.cluster.local')?.endpoints[0]?.destination.key).toBe(firstKey);
    expect(table.lookup('web.bookshop.svc.cluster.local')).toBeUndefined();
  });

  it('explains why a file is rejected', () => {
    expect(() => parseDestinations('{')).toThrow(/not valid JSON/);
    expect(() => parseDestinations('{"services":{"a":{"namespace":"n","service":"a","endpoints":[{"addr":"x"}]}}}')).toThrow(
      /does not match the destinations schema: services\.a\.endpoints\.0\.addr/,
    );
  });
});

describe('openDestinations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshviz-proxy-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reloads on change, keeps the last good table when the file breaks, and follows atomic renames', async () => {
    const path = join(dir, 'destinations.json');
    await writeFile(path, JSON.stringify(file(['catalog-0'])));
    const source = openDestinations(path, silentLog, 20);
    try {
      const pods = () => source.table.lookup('catalog.bookshop.svc.cluster.local')?.endpoints.map((e) => e.destination.meta?.pod);
      expect(pods()).toEqual(['catalog-0']);

      await writeFile(path, JSON.stringify(file(['catalog-0', 'catalog-1'])));
      await eventually(() => expect(pods()).toEqual(['catalog-0', 'catalog-1']));

      await writeFile(path, '{"services": ');
      await new Promise((r) => setTimeout(r, 150));
      expect(pods()).toEqual(['catalog-0', 'catalog-1']);

      await writeFile(join(dir, 'next.json'), JSON.stringify(file(['catalog-9'])));
      await rename(join(dir, 'next.json'), path);
      await eventually(() => expect(pods()).toEqual(['catalog-9']));
    } finally {
      source.close();
    }
  });

  it('starts empty when the file does not exist yet and picks it up once written', async () => {
    const path = join(dir, 'later.json');
    const source = openDestinations(path, silentLog, 20);
    try {
      expect(source.table.size).toBe(0);
      await writeFile(path, JSON.stringify(file(['catalog-0'])));
      await eventually(() => expect(source.table.size).toBe(1));
    } finally {
      source.close();
    }
  });
});

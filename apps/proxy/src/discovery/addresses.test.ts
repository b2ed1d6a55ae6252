import type { DestinationsFile } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { parseSockaddr } from '../accept/original-dst.js';
import { DestinationsTable, parseDestinations } from './destinations.js';

const endpoint = (addr: string, pod: string) => ({ addr, namespace: 'shop', deployment: pod.replace(/-\d+$/, ''), pod });
const file = (catalogIPs: string[], webIPs: string[] = []): DestinationsFile => ({
  services: {
    'catalog.shop.svc.cluster.local': {
      namespace: 'shop',
      service: 'catalog',
      clusterIPs: catalogIPs,
      endpoints: [endpoint('10.234.1.2:8080', 'catalog-0'), endpoint('10.234.1.3:8080', 'catalog-1')],
    },
    'web.shop.svc.cluster.local': { namespace: 'shop', service: 'web', clusterIPs: webIPs, endpoints: [endpoint('10.234.1.4:3000', 'web-0')] },
  },
});

describe('DestinationsTable by address (transparent interception)', () => {
  it('finds a service by any port of its cluster IP, and an endpoint by its exact host:port', () => {
    const table = new DestinationsTable();
    table.replace(file(['10.234.200.1', 'fd00::c1'], ['10.234.200.2']));
    const byVip = table.lookupAddress({ host: '10.234.200.1', port: 80 });
    expect(byVip?.kind === 'service' && byVip.service.authority).toBe('catalog.shop.svc.cluster.local');
    const byVip6 = table.lookupAddress({ host: 'fd00::c1', port: 8080 });
    expect(byVip6?.kind === 'service' && byVip6.service.authority).toBe('catalog.shop.svc.cluster.local');
    const pod = table.lookupAddress({ host: '10.234.1.3', port: 8080 });
    expect(pod?.kind === 'endpoint' && pod.endpoint.destination.meta?.pod).toBe('catalog-1');
    expect(table.lookupAddress({ host: '10.234.1.3', port: 9090 })).toBeUndefined();
    expect(table.lookupAddress({ host: '10.234.9.9', port: 80 })).toBeUndefined();
    // A new table replaces the index: the old address no longer names the service.
    table.replace(file(['10.234.200.9']));
    expect(table.lookupAddress({ host: '10.234.200.1', port: 80 })).toBeUndefined();
    expect(table.lookupAddress({ host: '10.234.200.9', port: 80 })?.kind).toBe('service');
  });

  it('refuses one cluster IP for two services, keeping the table in force', () => {
    const table = new DestinationsTable();
    table.replace(file(['10.234.200.1']));
    expect(() => table.replace(file(['10.234.200.1'], ['10.234.200.1']))).toThrow(
      'clusterIPs of web.shop.svc.cluster.local: 10.234.200.1 is already the address of catalog.shop.svc.cluster.local',
    );
    expect(table.lookupAddress({ host: '10.234.200.1', port: 80 })?.kind).toBe('service');
  });

  it('refuses a cluster IP that is not an address, naming the field', () => {
    const text = JSON.stringify({ services: { a: { namespace: 'n', service: 'a', clusterIPs: ['catalog'], endpoints: [] } } });
    expect(() => parseDestinations(text)).toThrow(/services\.a\.clusterIPs\.0/);
  });
});

describe('parseSockaddr', () => {
  it('reads sockaddr_in and sockaddr_in6 as getsockopt fills them', () => {
    const v4 = Buffer.alloc(28);
    v4.writeUInt16LE(2, 0);
    v4.writeUInt16BE(8080, 2);
    Buffer.from([10, 234, 0, 7]).copy(v4, 4);
    expect(parseSockaddr(v4)).toEqual({ host: '10.234.0.7', port: 8080 });
    const v6 = Buffer.alloc(28);
    v6.writeUInt16LE(10, 0);
    v6.writeUInt16BE(443, 2);
    Buffer.from('fd000000000000000000000000000001', 'hex').copy(v6, 8);
    expect(parseSockaddr(v6)).toEqual({ host: 'fd00::1', port: 443 });
    expect(parseSockaddr(Buffer.alloc(28))).toBeUndefined();
  });
});

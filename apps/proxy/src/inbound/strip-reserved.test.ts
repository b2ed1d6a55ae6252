import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProxyRequest, ProxyResponse } from '../core/stage.js';
import { isReservedHeader, stripReserved } from './strip-reserved.js';

const request = (headers: string[]) => ({ version: 'http/1.1', method: 'GET', path: '/', headers, body: Readable.from([]) }) as unknown as ProxyRequest;
const answer = { status: 200 } as ProxyResponse;

describe('stripReserved', () => {
  it('knows the reserved prefixes in any case, and nothing else', () => {
    expect(['x-meshviz-fault', 'X-Meshviz-Client-Id', 'l5d-client-id', 'L5D-Dst-Override'].every(isReservedHeader)).toBe(true);
    expect(['x-meshvizfault', 'x-request-id', 'l5dx', 'authorization'].some(isReservedHeader)).toBe(false);
  });

  it('passes the same request on when it carries none, and a copy without them when it does', async () => {
    const seen: ProxyRequest[] = [];
    const stage = stripReserved<string>(async (_t, r) => {
      seen.push(r);
      return answer;
    });
    const clean = request(['host', 'a', 'x-request-id', '1']);
    await stage('t', clean);
    expect(seen[0]).toBe(clean);
    const forged = request(['host', 'a', 'L5D-Client-Id', 'web', 'accept', '*/*', 'x-meshviz-fault', 'abort']);
    await stage('t', forged);
    expect(seen[1]?.headers).toEqual(['host', 'a', 'accept', '*/*']);
    expect(seen[1]?.method).toBe('GET');
    expect(forged.headers).toHaveLength(8);
  });
});

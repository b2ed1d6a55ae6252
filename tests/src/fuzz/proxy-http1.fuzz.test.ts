import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startUpstream, type Upstream } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { CATALOG, type Mesh, startMesh } from '../../../apps/proxy/src/testing/mesh.js';
import { fuzzParams } from '../support/budget.js';
import { mutatedRequest, seedRequests, structuredRequest } from '../support/http1-inputs.js';
import { exchangeRaw, type RawExchange, statusCodes } from '../support/raw-socket.js';

/**
 * HTTP/1 heads and bodies from raw bytes into a running mesh: the catalog app behind its inbound proxy, and a
 * client proxy whose outbound side discovers it. Whatever arrives, the proxy answers or closes within its header
 * timeout, never answers 500 (its own bug), stays up, and still carries a valid request afterwards.
 */
const HEADER_TIMEOUT_MS = 1_000;
const DEADLINE_MS = HEADER_TIMEOUT_MS + 2_000;

let upstream: Upstream;
let mesh: Mesh;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    req.resume();
    req.on('end', () => res.end(`seen ${req.method} ${req.url}`));
  });
  mesh = await startMesh({ apps: [upstream.addr], replica: { headerTimeoutMs: HEADER_TIMEOUT_MS }, client: { headerTimeoutMs: HEADER_TIMEOUT_MS } });
});
afterAll(async () => {
  await mesh?.close();
  await upstream?.close();
});

function expectSafeAnswer(input: Buffer, out: RawExchange): void {
  const text = out.data.toString('latin1');
  const context = `input ${JSON.stringify(input.toString('latin1'))} got ${JSON.stringify(text.slice(0, 300))}`;
  expect(out.hung, `no answer and no close within ${DEADLINE_MS} ms: ${context}`).toBe(false);
  expect(statusCodes(out.data).filter((s) => s === 500), context).toEqual([]);
  expect(text, context).not.toMatch(/x-meshviz-proxy-error: internal_error/i);
}

async function expectStillServes(address: string, headers: Record<string, string> = {}): Promise<void> {
  const reply = await send(address, { path: '/after', headers });
  expect(reply.status).toBe(200);
  expect(reply.body.toString()).toBe('seen GET /after');
}

describe.each([
  ['inbound', () => mesh.replicas[0]?.addresses.inbound ?? '', {}],
  ['outbound', () => mesh.client.addresses.outbound, { host: CATALOG }],
] as const)('HTTP/1 fuzzing of the %s listener', (_side, address, headers) => {
  it('carries every seed request (the mutators start from valid input)', async () => {
    for (const seed of seedRequests(CATALOG)) {
      const out = await exchangeRaw(address(), Buffer.from(seed, 'latin1'), DEADLINE_MS);
      expectSafeAnswer(Buffer.from(seed), out);
      expect(statusCodes(out.data)[0], seed).toBeLessThan(400);
    }
  });

  it('survives mutated requests: answers or closes, never 500, never hangs', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedRequest(CATALOG), async (input) => {
        expectSafeAnswer(input, await exchangeRaw(address(), input, DEADLINE_MS));
      }),
      fuzzParams(100),
    );
    await expectStillServes(address(), headers);
  });

  it('survives requests built field by field from valid and invalid parts', async () => {
    await fc.assert(
      fc.asyncProperty(structuredRequest(CATALOG), async (input) => {
        expectSafeAnswer(input, await exchangeRaw(address(), input, DEADLINE_MS));
      }),
      fuzzParams(100),
    );
    await expectStillServes(address(), headers);
  });

  it('answers a head with a header name of control bytes with 4xx or a close, before reaching the app', async () => {
    const before = upstream.requests.length;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 8 }).filter((b) => b.some((x) => x < 0x20 && x !== 9)), async (bad) => {
        const input = Buffer.concat([Buffer.from(`GET /x HTTP/1.1\r\nHost: ${CATALOG}\r\nX-`), Buffer.from(bad).map((x) => (x === 13 || x === 10 ? 1 : x)), Buffer.from(': v\r\n\r\n')]);
        const out = await exchangeRaw(address(), input, DEADLINE_MS);
        expectSafeAnswer(input, out);
        const codes = statusCodes(out.data);
        expect(codes.every((s) => s >= 400 && s < 500), JSON.stringify(out.data.toString('latin1'))).toBe(true);
        expect(codes.length > 0 || out.closed).toBe(true);
      }),
      fuzzParams(40),
    );
    expect(upstream.requests.slice(before).filter((r) => r.url === '/x')).toEqual([]);
  });
});

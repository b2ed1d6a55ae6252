import { ApiError } from '@meshviz/mesh-types';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedApi } from '../../../apps/api/src/testing/recorded-api.js';
import { apiTargets, TAP_TOKEN, tapConfig } from '../support/api-targets.js';
import { fuzzParams } from '../support/budget.js';

/**
 * Every query and path parameter of every API route (from the contract's endpoint table), each given hostile
 * values while the others stay valid: the API answers 400 naming that parameter, or a non-error answer for a value
 * that happens to be valid — never 500. The recorded Prometheus stand-in answers the queries it has and refuses
 * the rest (the API then says 502: Prometheus refused, not the API failing).
 */
const hostileValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '-0',
    '0x10',
    '99999999999999999999999',
    '1m; drop',
    '../../etc/passwd',
    '\u0000',
    '}',
    '"',
    '%',
    'a'.repeat(5000),
    '__proto__',
    'constructor',
    'true',
    '[]',
    '{"a":1}',
    '1h)or(1',
    'deployment',
    'ALL',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);

const { app: makeApp } = recordedApi('demo-mesh.json');
const tap = tapConfig();
let app: FastifyInstance;
beforeAll(async () => {
  app = makeApp({ tap: tap.tap });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  tap.cleanup();
});

const headers = { authorization: `Bearer ${TAP_TOKEN}` };

function expectNamed(status: number, body: string, param: string, url: string): void {
  expect(status, `${url} answered ${status}: ${body.slice(0, 300)}`).not.toBe(500);
  if (status === 400) {
    const error = ApiError.parse(JSON.parse(body)).error;
    expect(error.param === param || error.message.includes(`"${param}"`) || error.message.includes(param), `${url}: ${body}`).toBe(
      true,
    );
  }
}

describe.each(apiTargets())('API route $endpoint under hostile parameters', (target) => {
  it('answers its valid base query without an error of its own', async () => {
    const url = `${target.path()}?${new URLSearchParams(target.base)}`;
    const res = await app.inject({ url, headers });
    // 404 for tap and top: the targets file lists no proxy. 502: the recorded Prometheus lacks the query.
    expect([200, 404, 502], `${url}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
  });

  it.each(target.queryParams.map((p) => [p]))('query parameter %s: 400 naming it, never 500', async (param) => {
    await fc.assert(
      fc.asyncProperty(hostileValue, fc.boolean(), async (value, twice) => {
        const query = new URLSearchParams(target.base);
        query.set(param, value);
        if (twice) query.append(param, value);
        const url = `${target.path()}?${query}`;
        const res = await app.inject({ url, headers });
        expectNamed(res.statusCode, res.body, param, url);
      }),
      fuzzParams(30),
    );
  });

  it.each(target.pathParams.map((p) => [p]))('path parameter %s: 400 naming it or 404, never 500', async (param) => {
    await fc.assert(
      fc.asyncProperty(hostileValue.filter((v) => v !== ''), async (value) => {
        const url = `${target.path({ [param]: value })}?${new URLSearchParams(target.base)}`;
        const res = await app.inject({ url, headers });
        expectNamed(res.statusCode, res.body, param, url);
      }),
      fuzzParams(30),
    );
  });

  it('keeps a raw, badly percent-encoded query to a 400', async () => {
    for (const raw of ['%', '%zz', '%E0%A4%A', '%00', '&&&', '=x', `${target.queryParams[0] ?? 'q'}=%ff%fe`]) {
      const url = `${target.path()}?${new URLSearchParams(target.base)}&${raw}`;
      const res = await app.inject({ url, headers });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).not.toBe(500);
    }
  });
});

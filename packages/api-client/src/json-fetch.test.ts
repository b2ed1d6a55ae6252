import { StatsResponse } from '@meshviz/mesh-types';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from './api-request-error.js';
import { fetchJson } from './json-fetch.js';
import { echoWording } from './testing/echo-wording.js';
import { closedPortUrl, type HttpFixture, startHttpFixture } from './testing/http-fixture.js';

const ok = { window: '1m', rows: [] };

describe('fetchJson', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  function answer(status: number, body: string, type = 'application/json') {
    return startHttpFixture((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  }

  it('asks for JSON and parses a good answer with the schema', async () => {
    let accept: string | undefined;
    api = await startHttpFixture((req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok));
    });
    await expect(fetchJson(`${api.url}/api/v1/stats`, StatsResponse, { wording: echoWording() })).resolves.toEqual(ok);
    expect(accept).toBe('application/json');
  });

  it("turns the API's error envelope into an ApiRequestError with its status, code, message and parameter", async () => {
    api = await answer(400, JSON.stringify({ error: { code: 'API_BAD_REQUEST', message: 'invalid query parameter "window"', param: 'window' } }));
    const wording = echoWording();
    const err = await fetchJson(`${api.url}/x`, StatsResponse, { wording }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 400, code: 'API_BAD_REQUEST', message: 'invalid query parameter "window"', param: 'window' });
    expect(wording.seen).toEqual([]);
  });

  it('words an error answer that is not the API envelope as unexpected, with its status', async () => {
    api = await answer(502, '<html>oops</html>', 'text/html');
    const wording = echoWording();
    await expect(fetchJson(`${api.url}/x`, StatsResponse, { wording })).rejects.toMatchObject({ code: 'TEST_UNEXPECTED_ANSWER', status: 502 });
    expect(wording.seen).toEqual([{ kind: 'unexpected-answer', url: `${api.url}/x`, status: 502, statusText: 'Bad Gateway' }]);
  });

  it('words a success that does not match the contract as invalid, saying where', async () => {
    api = await answer(200, JSON.stringify({ rows: 'nope' }));
    const wording = echoWording();
    await expect(fetchJson(`${api.url}/x`, StatsResponse, { wording })).rejects.toMatchObject({ code: 'TEST_INVALID_ANSWER', status: 200 });
    expect(wording.seen[0]).toMatchObject({ kind: 'invalid-answer', detail: expect.stringContaining('rows') });
  });

  it('words a success that is not JSON at all as invalid', async () => {
    api = await answer(200, 'plain text', 'text/plain');
    await expect(fetchJson(`${api.url}/x`, StatsResponse, { wording: echoWording() })).rejects.toMatchObject({ code: 'TEST_INVALID_ANSWER' });
  });

  it('words an unreachable server, keeping the cause', async () => {
    const url = `${await closedPortUrl()}/x`;
    const err = await fetchJson(url, StatsResponse, { wording: echoWording() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TEST_UNREACHABLE', status: 0 });
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('passes an abort of the caller through as an abort', async () => {
    api = await startHttpFixture(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const pending = fetchJson(`${api.url}/x`, StatsResponse, { wording: echoWording(), signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('gives up after its own time limit as unreachable', async () => {
    api = await startHttpFixture(() => {
      // Never answers.
    });
    const started = Date.now();
    await expect(fetchJson(`${api.url}/x`, StatsResponse, { wording: echoWording(), timeoutMs: 200 })).rejects.toMatchObject({
      code: 'TEST_UNREACHABLE',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

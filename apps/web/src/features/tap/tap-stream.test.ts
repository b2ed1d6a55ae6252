import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../lib/api-request';
import { closedPortUrl, type HttpFixture, startHttpFixture } from '@meshviz/api-client/testing';
import { tapParts } from '@meshviz/api-client/testing';
import { parseStreamEvent, readTapStream, type StreamEvent } from './tap-stream';

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function sseHead(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
}

async function failure(promise: Promise<unknown>): Promise<ApiRequestError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiRequestError)) throw new Error(`expected an ApiRequestError, got ${String(err)}`);
  return err;
}

describe('readTapStream', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('sends the token and passes on every event, checked, in order, until the API ends the stream', async () => {
    const [init, response, end] = tapParts({ id: 'shop/web-0/1' });
    let authorization: string | undefined;
    api = await startHttpFixture((req, res) => {
      authorization = req.headers.authorization;
      sseHead(res);
      res.write(sse('start', { proxies: ['bookshop/web-0'] }));
      res.write(': keep-alive\n\n');
      res.write(sse('tap', init) + sse('tap', response));
      res.write(sse('tap', end));
      res.write(sse('drops', { pod: 'web-0', count: 3 }));
      res.write(sse('upstream-error', { pod: 'web-1', message: 'proxy went away' }));
      res.write(sse('something-new', { x: 1 }));
      res.end(sse('top', { rows: [], events: 1, drops: 3 }));
    });
    const events: StreamEvent[] = [];
    await readTapStream(`${api.url}/api/v1/tap?namespace=bookshop`, 's3cret', new AbortController().signal, (e) => events.push(e));
    expect(authorization).toBe('Bearer s3cret');
    expect(events).toEqual([
      { type: 'start', proxies: ['bookshop/web-0'] },
      { type: 'tap', event: init },
      { type: 'tap', event: response },
      { type: 'tap', event: end },
      { type: 'drops', drops: { pod: 'web-0', count: 3 } },
      { type: 'upstream-error', pod: 'web-1', message: 'proxy went away' },
      { type: 'top', snapshot: { rows: [], events: 1, drops: 3 } },
    ]);
  });

  it('turns the API’s refusal into an ApiRequestError with its status, code and message', async () => {
    api = await startHttpFixture((req, res) => {
      const wrong = req.headers.authorization !== 'Bearer right';
      res.writeHead(wrong ? 403 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          wrong
            ? { error: { code: 'API_TAP_FORBIDDEN', message: 'this tap token is not valid' } }
            : { error: { code: 'API_BAD_REQUEST', message: 'invalid query parameter "max_rps"', param: 'max_rps' } },
        ),
      );
    });
    const forbidden = await failure(readTapStream(`${api.url}/api/v1/tap`, 'wrong', new AbortController().signal, () => {}));
    expect(forbidden).toMatchObject({ status: 403, code: 'API_TAP_FORBIDDEN', message: 'this tap token is not valid' });
    const bad = await failure(readTapStream(`${api.url}/api/v1/tap`, 'right', new AbortController().signal, () => {}));
    expect(bad).toMatchObject({ status: 400, code: 'API_BAD_REQUEST', param: 'max_rps' });
  });

  it('stops at an event that does not match its schema, names it, and closes the connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    api = await startHttpFixture((_req, res) => {
      closed = once(res, 'close');
      sseHead(res);
      res.write(sse('tap', { id: 'x', direction: 'sideways' }));
    });
    const err = await failure(readTapStream(`${api.url}/api/v1/tap`, 't', new AbortController().signal, () => {}));
    expect(err.code).toBe('WEB_INVALID_RESPONSE');
    expect(err.message).toMatch(/"tap" event/);
    await closed;
  });

  it('refuses an answer that is not an event stream', async () => {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    });
    const err = await failure(readTapStream(`${api.url}/api/v1/tap`, 't', new AbortController().signal, () => {}));
    expect(err).toMatchObject({ code: 'WEB_UNEXPECTED_RESPONSE', message: expect.stringContaining('text/html') });
  });

  it('closes the connection when aborted, and rejects with the abort', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    api = await startHttpFixture((_req, res) => {
      closed = once(res, 'close');
      sseHead(res);
      res.write(sse('start', { proxies: [] }));
    });
    const abort = new AbortController();
    let started: () => void = () => {};
    const gotStart = new Promise<void>((resolve) => {
      started = resolve;
    });
    const reading = readTapStream(`${api.url}/api/v1/top`, 't', abort.signal, (e) => {
      if (e.type === 'start') started();
    });
    await gotStart;
    abort.abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });

  it('says the dashboard server is unreachable when nothing answers, and when the stream breaks off', async () => {
    const down = await failure(readTapStream(`${await closedPortUrl()}/api/v1/tap`, 't', new AbortController().signal, () => {}));
    expect(down.code).toBe('WEB_UNREACHABLE');
    api = await startHttpFixture((_req, res) => {
      sseHead(res);
      res.write(sse('start', { proxies: [] }));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const broken = await failure(readTapStream(`${api.url}/api/v1/tap`, 't', new AbortController().signal, () => {}));
    expect(broken.code).toBe('WEB_STREAM_BROKEN');
  });
});

describe('parseStreamEvent', () => {
  it('ignores events it does not know and rejects data that is not JSON', () => {
    expect(parseStreamEvent('hello', '{}')).toBeNull();
    expect(parseStreamEvent('toString', '{}')).toBeNull();
    expect(() => parseStreamEvent('drops', 'not json')).toThrow(/"drops" event .*not JSON/);
    expect(() => parseStreamEvent('drops', '{"pod":"p"}')).toThrow(/count/);
  });
});

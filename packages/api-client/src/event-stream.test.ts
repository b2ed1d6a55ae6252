import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { STREAMS, type StreamEventOf } from './endpoints.js';
import { readEventStream } from './event-stream.js';
import { apiFailure as failure } from './testing/api-failure.js';
import { echoWording } from './testing/echo-wording.js';
import { closedPortUrl, type HttpFixture, startHttpFixture } from './testing/http-fixture.js';
import { tapParts } from './testing/tap-events.js';

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function sseHead(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
}

const open = (url: string, token = 't', signal = new AbortController().signal, onEvent: (e: StreamEventOf<typeof STREAMS.tap>) => void = () => {}) =>
  readEventStream(url, STREAMS.tap, { wording: echoWording(), token, signal }, onEvent);

describe('readEventStream', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('sends the token and passes on every event of the stream, checked, in order, until the API ends it', async () => {
    const [init, response, end] = tapParts({ id: 'shop/web-0/1' });
    let headers: Record<string, unknown> = {};
    api = await startHttpFixture((req, res) => {
      headers = req.headers;
      sseHead(res);
      res.write(sse('start', { proxies: ['bookshop/web-0'] }));
      res.write(': keep-alive\n\n');
      res.write(sse('tap', init) + sse('tap', response));
      res.write(sse('tap', end));
      res.write(sse('drops', { pod: 'web-0', count: 3 }));
      res.write(sse('upstream-error', { pod: 'web-1', message: 'proxy went away' }));
      res.write(sse('something-new', { x: 1 }));
      // A top event on the tap stream is not one of its events: ignored like any unknown name.
      res.end(sse('top', { rows: [], events: 1, drops: 3 }));
    });
    const events: StreamEventOf<typeof STREAMS.tap>[] = [];
    await open(`${api.url}/api/v1/tap?namespace=bookshop`, 's3cret', undefined, (e) => events.push(e));
    expect(headers).toMatchObject({ authorization: 'Bearer s3cret', accept: 'text/event-stream' });
    expect(events).toEqual([
      { name: 'start', data: { proxies: ['bookshop/web-0'] } },
      { name: 'tap', data: init },
      { name: 'tap', data: response },
      { name: 'tap', data: end },
      { name: 'drops', data: { pod: 'web-0', count: 3 } },
      { name: 'upstream-error', data: { pod: 'web-1', message: 'proxy went away' } },
    ]);
  });

  it('reads the top stream’s own events', async () => {
    api = await startHttpFixture((_req, res) => {
      sseHead(res);
      res.end(sse('start', { proxies: [] }) + sse('top', { rows: [], events: 1, drops: 3 }));
    });
    const events: unknown[] = [];
    await readEventStream(`${api.url}/api/v1/top`, STREAMS.top, { wording: echoWording(), token: 't', signal: new AbortController().signal }, (e) =>
      events.push(e),
    );
    expect(events).toEqual([
      { name: 'start', data: { proxies: [] } },
      { name: 'top', data: { rows: [], events: 1, drops: 3 } },
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
    const forbidden = await failure(open(`${api.url}/api/v1/tap`, 'wrong'));
    expect(forbidden).toMatchObject({ status: 403, code: 'API_TAP_FORBIDDEN', message: 'this tap token is not valid' });
    const bad = await failure(open(`${api.url}/api/v1/tap`, 'right'));
    expect(bad).toMatchObject({ status: 400, code: 'API_BAD_REQUEST', param: 'max_rps' });
  });

  it('stops at an event that does not match its schema, names it, and closes the connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    api = await startHttpFixture((_req, res) => {
      closed = once(res, 'close');
      sseHead(res);
      res.write(sse('tap', { id: 'x', direction: 'sideways' }));
    });
    const wording = echoWording();
    const err = await failure(readEventStream(`${api.url}/api/v1/tap`, STREAMS.tap, { wording, token: 't', signal: new AbortController().signal }, () => {}));
    expect(err).toMatchObject({ code: 'TEST_INVALID_EVENT', status: 200 });
    expect(wording.seen[0]).toMatchObject({ kind: 'invalid-event', event: 'tap', detail: expect.stringMatching(/^direction: /) });
    await closed;
  });

  it('refuses an answer that is not an event stream, saying what it was', async () => {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    });
    const wording = echoWording();
    const err = await failure(readEventStream(`${api.url}/api/v1/tap`, STREAMS.tap, { wording, token: 't', signal: new AbortController().signal }, () => {}));
    expect(err).toMatchObject({ code: 'TEST_NOT_A_STREAM', status: 200 });
    expect(wording.seen[0]).toMatchObject({ kind: 'not-a-stream', contentType: 'text/html' });
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
    const reading = open(`${api.url}/api/v1/top`, 't', abort.signal, (e) => {
      if (e.name === 'start') started();
    });
    await gotStart;
    abort.abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });

  it('passes an error of the event handler through as it is, and closes the connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    api = await startHttpFixture((_req, res) => {
      closed = once(res, 'close');
      sseHead(res);
      res.write(sse('start', { proxies: [] }));
    });
    const mine = new Error('handler failed');
    await expect(
      open(`${api.url}/api/v1/tap`, 't', undefined, () => {
        throw mine;
      }),
    ).rejects.toBe(mine);
    await closed;
  });

  it('words a server that is not there, and a stream that breaks off', async () => {
    const down = await failure(open(`${await closedPortUrl()}/api/v1/tap`));
    expect(down).toMatchObject({ code: 'TEST_UNREACHABLE', status: 0 });
    api = await startHttpFixture((_req, res) => {
      sseHead(res);
      res.write(sse('start', { proxies: [] }));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const broken = await failure(open(`${api.url}/api/v1/tap`));
    expect(broken).toMatchObject({ code: 'TEST_STREAM_BROKEN', status: 0 });
  });
});

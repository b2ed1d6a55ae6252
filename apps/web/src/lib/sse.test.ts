import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseMessage } from './sse';

function parse(chunks: readonly string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return out;
}

function streamOf(chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

describe('SseParser', () => {
  it('reads named events with JSON data, as the meshviz API sends them', () => {
    const text = 'event: start\ndata: {"proxies":["shop/web-0"]}\n\nevent: tap\ndata: {"id":"a"}\n\n';
    expect(parse([text])).toEqual([
      { event: 'start', data: '{"proxies":["shop/web-0"]}', id: '' },
      { event: 'tap', data: '{"id":"a"}', id: '' },
    ]);
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const text = 'event: tap\r\ndata: {"id":"a"}\r\n\r\n: keep-alive\r\n\r\nevent: drops\rdata: {"count":2}\r\r';
    const whole = parse([text]);
    expect(whole).toEqual([
      { event: 'tap', data: '{"id":"a"}', id: '' },
      { event: 'drops', data: '{"count":2}', id: '' },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(parse([...text])).toEqual(whole);
  });

  it('treats a CR at the end of a chunk and an LF at the start of the next as one line ending', () => {
    // Were they two endings, the blank line would dispatch "a" before its second data line.
    expect(parse(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([{ event: 'message', data: 'a\nb', id: '' }]);
  });

  it('joins data lines, drops one leading space only, and keeps colons in values', () => {
    expect(parse(['data:  two spaces\ndata:x:y\ndata\n\n'])).toEqual([{ event: 'message', data: ' two spaces\nx:y\n', id: '' }]);
  });

  it('ignores comments, retry and unknown fields, and does not dispatch an event without data', () => {
    expect(parse([': hello\nretry: 10\nfoo: bar\nevent: lonely\n\ndata: ok\n\n'])).toEqual([{ event: 'message', data: 'ok', id: '' }]);
  });

  it('resets the event name after each event and keeps the last id', () => {
    expect(parse(['id: 7\nevent: tap\ndata: 1\n\ndata: 2\n\n'])).toEqual([
      { event: 'tap', data: '1', id: '7' },
      { event: 'message', data: '2', id: '7' },
    ]);
  });

  it('drops an event left unfinished when the stream ends', () => {
    expect(parse(['data: done\n\ndata: half'])).toEqual([{ event: 'message', data: 'done', id: '' }]);
    expect(parse(['data: no blank line\n'])).toEqual([]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a character and strips a byte order mark', async () => {
    const bytes = new TextEncoder().encode('\uFEFFevent: tap\ndata: {"path":"/böcker"}\n\n');
    const split = bytes.indexOf(0xc3) + 1;
    const out: SseMessage[] = [];
    await readSse(streamOf([bytes.slice(0, split), bytes.slice(split)]), (m) => out.push(m));
    expect(out).toEqual([{ event: 'tap', data: '{"path":"/böcker"}', id: '' }]);
  });

  it('cancels the stream and passes the error on when a handler throws', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const failure = new Error('bad event');
    await expect(
      readSse(body, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(cancelled).toBe(failure);
  });
});

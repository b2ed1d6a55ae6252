import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage, SseParser } from './sse-parser.js';

function parse(chunks: readonly string[]): { messages: SseMessage[]; retries: number[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ message: (m) => messages.push(m), retry: (ms) => retries.push(ms) });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { messages, retries, parser };
}

const messages = (...chunks: string[]) => parse(chunks).messages;
const message = (data: string, event = 'message', id = '') => ({ event, data, id });

function streamOf(chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

describe('SseParser: lines', () => {
  it('reads named events with JSON data, as the meshviz API sends them', () => {
    expect(messages('event: start\ndata: {"proxies":["shop/web-0"]}\n\nevent: tap\ndata: {"id":"a"}\n\n')).toEqual([
      message('{"proxies":["shop/web-0"]}', 'start'),
      message('{"id":"a"}', 'tap'),
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('ends lines with %s alone', (_name, eol) => {
    const text = ['event: tap', 'data: a', 'data: b', '', ': note', 'data: c', '', ''].join(eol);
    expect(messages(text)).toEqual([message('a\nb', 'tap'), message('c')]);
  });

  it('takes LF, CRLF and CR mixed in one stream', () => {
    expect(messages('data: 1\r\ndata: 2\rdata: 3\n\r\ndata: 4\r\r')).toEqual([message('1\n2\n3'), message('4')]);
  });

  it('gives the same events whatever the chunk boundaries, cut once or at every character', () => {
    const text = 'event: tap\r\ndata: {"id":"a"}\r\n\r\n: keep-alive\r\n\r\nevent: drops\rdata: {"count":2}\r\rid: 9\nretry: 5\ndata: x\n\n';
    const whole = parse([text]);
    expect(whole.messages).toEqual([message('{"id":"a"}', 'tap'), message('{"count":2}', 'drops'), message('x', 'message', '9')]);
    for (let cut = 1; cut < text.length; cut++) {
      const split = parse([text.slice(0, cut), text.slice(cut)]);
      expect(split.messages, `cut at ${cut}`).toEqual(whole.messages);
      expect(split.retries, `cut at ${cut}`).toEqual([5]);
    }
    expect(parse([...text]).messages).toEqual(whole.messages);
  });

  it('treats a CR ending one chunk and an LF starting the next as one line ending', () => {
    // Were they two endings, the blank line would dispatch "a" before its second data line.
    expect(messages('data: a\r', '\ndata: b\r', '\n\r', '\n')).toEqual([message('a\nb')]);
  });

  it('does not let a CR chunk followed by an empty one swallow a later LF', () => {
    expect(messages('data: a\r', '', '\n', '\n')).toEqual([message('a')]);
    expect(messages('data: a\r', '\n', '\n')).toEqual([message('a')]);
  });

  it('drops one leading byte order mark, and only at the very start', () => {
    expect(messages('\uFEFFdata: a\n\n')).toEqual([message('a')]);
    expect(messages('\uFEFF', 'data: a\n\n')).toEqual([message('a')]);
    // A second one belongs to the first line, whose field is then not "data".
    expect(messages('\uFEFF\uFEFFdata: a\n\ndata: b\n\n')).toEqual([message('b')]);
    expect(messages('data: a\n\n\uFEFFdata: b\n\n')).toEqual([message('a')]);
  });
});

describe('SseParser: fields', () => {
  it('joins data lines with LF, drops one space after the colon only, and keeps colons in values', () => {
    expect(messages('data:  two spaces\ndata:x:y\ndata\n\n')).toEqual([message(' two spaces\nx:y\n')]);
    expect(messages('data:test\n\ndata: test\n\n')).toEqual([message('test'), message('test')]);
  });

  it('follows the standard’s own examples', () => {
    expect(messages('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([message('YHOO\n+2\n10')]);
    // An empty data field dispatches "", two give "\n"; the last event never ends.
    expect(messages('data\n\ndata\ndata\n\ndata:')).toEqual([message(''), message('\n')]);
  });

  it('ignores comments, unknown fields and fields in another case', () => {
    expect(messages(': hello\n:\nfoo: bar\nData: no\nEVENT: no\ndata: ok\n\n')).toEqual([message('ok')]);
  });

  it('does not dispatch an event without data, and forgets its name', () => {
    expect(messages('event: lonely\n\ndata: ok\n\n')).toEqual([message('ok')]);
    expect(messages('event: lonely\n: comment\n\n\n\ndata: ok\n\n')).toEqual([message('ok')]);
  });

  it('names an event by its last event field, and resets the name after each event', () => {
    expect(messages('event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent\ndata: 3\n\n')).toEqual([
      message('1', 'b'),
      message('2'),
      message('3'),
    ]);
  });

  it('keeps the last id across events, lets an empty id clear it, and ignores an id holding NUL', () => {
    expect(messages('id: 7\nevent: tap\ndata: 1\n\ndata: 2\n\nid\ndata: 3\n\nid: 8\n\nid: a\u0000b\ndata: 4\n\n')).toEqual([
      message('1', 'tap', '7'),
      message('2', 'message', '7'),
      message('3', 'message', ''),
      message('4', 'message', '8'),
    ]);
  });

  it('takes retry when it is digits only, and tells the handler', () => {
    const { messages: out, retries, parser } = parse(['retry: 3000\nretry: 12a\nretry:  5\nretry: -1\nretry\ndata: x\n\nretry:10\n\n']);
    expect(retries).toEqual([3000, 10]);
    expect(parser.retryMs).toBe(10);
    expect(out).toEqual([message('x')]);
    expect(new SseParser({ message: () => {} }).retryMs).toBeNull();
  });

  it('drops an event left unfinished when the stream ends', () => {
    expect(messages('data: done\n\ndata: half')).toEqual([message('done')]);
    expect(messages('data: no blank line\n')).toEqual([]);
    expect(messages('data: ends in CR\r')).toEqual([]);
  });

  it('keeps a long stream of events in order', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `event: tap\ndata: {"n":${i}}\n\n`).join('');
    const out = messages(text.slice(0, 4099), text.slice(4099));
    expect(out).toHaveLength(1000);
    expect(out.map((m) => JSON.parse(m.data).n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a character and drops the byte order mark', async () => {
    const bytes = new TextEncoder().encode('\uFEFFevent: tap\ndata: {"path":"/böcker"}\n\n');
    const split = bytes.indexOf(0xc3) + 1;
    const out: SseMessage[] = [];
    await readSse(streamOf([bytes.slice(0, 1), bytes.slice(1, split), bytes.slice(split)]), { message: (m) => out.push(m) });
    expect(out).toEqual([message('{"path":"/böcker"}', 'tap')]);
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
      readSse(body, {
        message: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(cancelled).toBe(failure);
  });

  it('rejects when the body fails, after dispatching what came before', async () => {
    const broken = new Error('connection reset');
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2'));
        else controller.error(broken);
      },
    });
    const out: SseMessage[] = [];
    await expect(readSse(body, { message: (m) => out.push(m) })).rejects.toBe(broken);
    expect(out).toEqual([message('1')]);
  });
});

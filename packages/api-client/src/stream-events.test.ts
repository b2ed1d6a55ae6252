import { describe, expect, it } from 'vitest';
import { STREAMS } from './endpoints.js';
import { decodeStreamEvent, InvalidStreamEvent } from './stream-events.js';
import { tapParts } from './testing/tap-events.js';

describe('decodeStreamEvent', () => {
  it('checks each event against the schema its name has on that stream', () => {
    const [init] = tapParts({ id: 'x' });
    expect(decodeStreamEvent(STREAMS.tap, 'tap', JSON.stringify(init))).toEqual({ name: 'tap', data: init });
    expect(decodeStreamEvent(STREAMS.tap, 'start', '{"proxies":["a/b"]}')).toEqual({ name: 'start', data: { proxies: ['a/b'] } });
    expect(decodeStreamEvent(STREAMS.top, 'top', '{"rows":[],"events":1,"drops":0}')).toEqual({
      name: 'top',
      data: { rows: [], events: 1, drops: 0 },
    });
  });

  it('ignores names the stream does not have, inherited ones included', () => {
    expect(decodeStreamEvent(STREAMS.tap, 'hello', '{}')).toBeNull();
    expect(decodeStreamEvent(STREAMS.tap, 'toString', '{}')).toBeNull();
    expect(decodeStreamEvent(STREAMS.tap, 'top', '{}')).toBeNull();
    expect(decodeStreamEvent(STREAMS.top, 'tap', 'not even json')).toBeNull();
  });

  it('refuses data that is not JSON or does not match, naming the event and the field', () => {
    expect(() => decodeStreamEvent(STREAMS.tap, 'drops', 'not json')).toThrow(new InvalidStreamEvent('drops', 'it is not JSON'));
    const err = (() => {
      try {
        decodeStreamEvent(STREAMS.tap, 'drops', '{"pod":"p"}');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidStreamEvent);
    expect(err).toMatchObject({ event: 'drops', detail: expect.stringMatching(/^count: /) });
  });
});

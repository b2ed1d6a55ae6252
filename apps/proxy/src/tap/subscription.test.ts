import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WireTapEvent } from './events.js';
import { parseObserveRequest } from './match.js';
import { Subscription } from './subscription.js';

/** A sink whose buffer holds `capacity` events before it reports backpressure, drained by hand. */
class FakeSink extends EventEmitter {
  readonly written: WireTapEvent[] = [];
  private buffered = 0;
  constructor(private readonly capacity: number) {
    super();
  }
  write(event: WireTapEvent): boolean {
    this.written.push(event);
    this.buffered += 1;
    return this.buffered < this.capacity;
  }
  drain(): void {
    this.buffered = 0;
    this.emit('drain');
  }
}

const anything = (() => {
  const parsed = parseObserveRequest({ maxRps: 1 });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
})();

function request(subscription: Subscription, id: string, now = 0): boolean {
  if (!subscription.admit(now)) return false;
  for (const part of ['a', 'b', 'c']) subscription.send({ id, direction: 'inbound', drops: { count: part.length } });
  return true;
}

describe('Subscription', () => {
  it('writes straight through while the stream keeps up', () => {
    const sink = new FakeSink(100);
    const drops: number[] = [];
    const sub = new Subscription(anything, 100, sink, 10, (n) => drops.push(n));
    expect(request(sub, '1')).toBe(true);
    expect(sink.written.map((e) => e.id)).toEqual(['1', '1', '1']);
    expect(sub.queued).toBe(0);
    expect(drops).toEqual([]);
  });

  it('queues under backpressure up to the limit, drops whole requests beyond it, and reports them after draining', () => {
    const sink = new FakeSink(2);
    const drops: number[] = [];
    const sub = new Subscription(anything, 100, sink, 6, (n) => drops.push(n));
    expect(request(sub, '1')).toBe(true); // two written, the third queued
    expect(request(sub, '2')).toBe(true); // 4 queued
    expect(request(sub, '3')).toBe(false); // 4 + 3 > 6: dropped whole
    expect(sub.queued).toBe(4);
    expect(drops).toEqual([3]);

    sink.drain();
    sink.drain();
    sink.drain();
    const ids = sink.written.map((e) => (e.drops && e.id === '' ? `drops:${e.drops.count}` : e.id));
    expect(ids).toEqual(['1', '1', '1', '2', '2', '2', 'drops:3']);
    expect(sub.queued).toBe(0);
  });

  it('keeps room for the rest of an admitted request, so it never arrives in part', () => {
    const sink = new FakeSink(1);
    const sub = new Subscription(anything, 100, sink, 3, () => {});
    expect(sub.admit(0)).toBe(true);
    sub.send({ id: '1', direction: 'inbound' }); // written; stream now blocked
    expect(request(sub, '2')).toBe(false); // only 3 places, 2 still reserved for request 1
    sub.send({ id: '1', direction: 'inbound' });
    sub.send({ id: '1', direction: 'inbound' });
    expect(sub.queued).toBe(2);
  });

  it('stops and forgets its queue once closed', () => {
    const sink = new FakeSink(1);
    const sub = new Subscription(anything, 100, sink, 30, () => {});
    request(sub, '1');
    sub.close();
    expect(sub.queued).toBe(0);
    expect(sub.admit(0)).toBe(false);
    sink.drain();
    expect(sink.written).toHaveLength(1);
  });
});

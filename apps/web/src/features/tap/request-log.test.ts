import { tapParts } from '@meshviz/api-client/testing';
import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log';

const ids = (log: { size: number; at(i: number): { id: string } | undefined }) =>
  Array.from({ length: log.size }, (_, i) => log.at(i)!.id);

describe('RequestLog', () => {
  it('puts the three parts of a request together by id, whatever they interleave with', () => {
    const log = new RequestLog(10);
    const [a1, a2, a3] = tapParts({ id: 'p/web-0/1' });
    const [b1, b2, b3] = tapParts({ id: 'p/web-1/1', status: 503 });
    log.addAll([a1, b1, b2, a2, b3, a3]);
    expect(log.size).toBe(2);
    const a = log.get('p/web-0/1')!;
    expect(a.parts).toEqual([a1, a2, a3]);
    expect(a).toMatchObject({ init: a1, response: a2, end: a3 });
    expect(log.get('p/web-1/1')!.parts).toEqual([b1, b2, b3]);
    expect(log.total).toBe(2);
  });

  it('lists newest first', () => {
    const log = new RequestLog(10);
    for (const id of ['1', '2', '3']) log.add(tapParts({ id })[0]);
    expect(ids(log)).toEqual(['3', '2', '1']);
    expect(log.at(3)).toBeUndefined();
    expect(log.at(-1)).toBeUndefined();
  });

  it('keeps at most its capacity, dropping (and counting) the oldest, and forgets their later parts', () => {
    const log = new RequestLog(3);
    const parts = ['1', '2', '3', '4', '5'].map((id) => tapParts({ id }));
    for (const [init] of parts) log.add(init);
    expect(ids(log)).toEqual(['5', '4', '3']);
    expect(log.total).toBe(5);
    expect(log.evicted).toBe(2);
    // The end of an evicted request has nowhere to go; the end of a held one lands on it.
    log.add(parts[0]![2]);
    log.add(parts[3]![2]);
    expect(log.orphans).toBe(1);
    expect(log.get('1')).toBeUndefined();
    expect(log.get('4')!.end).toBe(parts[3]![2]);
  });

  it('counts parts of requests it never saw as orphans', () => {
    const log = new RequestLog(3);
    const [, response, end] = tapParts({ id: 'before-start' });
    log.addAll([response, end]);
    expect(log.size).toBe(0);
    expect(log.orphans).toBe(2);
  });

  it('stays correct over many laps of the ring', () => {
    const log = new RequestLog(7);
    for (let i = 0; i < 1000; i++) log.add(tapParts({ id: String(i) })[0]);
    expect(ids(log)).toEqual(['999', '998', '997', '996', '995', '994', '993']);
    expect(log.evicted).toBe(993);
  });

  it('freezes a snapshot that later parts and requests do not change', () => {
    const log = new RequestLog(2);
    const [init, response] = tapParts({ id: 'a' });
    log.add(init);
    const frozen = log.snapshot();
    log.add(response);
    log.add(tapParts({ id: 'b' })[0]);
    log.add(tapParts({ id: 'c' })[0]);
    expect(frozen.size).toBe(1);
    expect(frozen.at(0)).toMatchObject({ id: 'a', response: null, parts: [init] });
    expect(ids(log)).toEqual(['c', 'b']);
  });

  it('exports every part held, oldest request first, exactly as received', () => {
    const log = new RequestLog(2);
    const a = tapParts({ id: 'a' });
    const b = tapParts({ id: 'b' });
    const c = tapParts({ id: 'c' });
    log.addAll([a[0], b[0], a[1], a[2], b[1], c[0], b[2]]);
    expect(log.events()).toEqual([b[0], b[1], b[2], c[0]]);
  });

  it('starts over on clear', () => {
    const log = new RequestLog(1);
    log.addAll([tapParts({ id: 'a' })[0], tapParts({ id: 'b' })[0]]);
    log.clear();
    expect([log.size, log.total, log.evicted, log.orphans]).toEqual([0, 0, 0, 0]);
    log.add(tapParts({ id: 'c' })[0]);
    expect(ids(log)).toEqual(['c']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RequestLog(0)).toThrow(/positive integer, got 0/);
  });
});

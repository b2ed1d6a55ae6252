import { tapParts } from '@meshviz/api-client/testing';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../live-stream/stream-filters';
import { RequestLog } from './request-log';
import { tapExport } from './tap-export';

describe('tapExport', () => {
  it('holds every part exactly as received, with the filters and the count of requests already gone', () => {
    const log = new RequestLog(1);
    const old = tapParts({ id: 'old' });
    const kept = tapParts({ id: 'kept', status: 503 });
    log.addAll([...old, ...kept]);
    const out = tapExport(log.events(), { ...EMPTY_FILTERS, namespace: 'bookshop', workload: 'web' }, log.evicted, new Date('2026-03-04T05:06:07.890Z'));
    expect(out.fileName).toBe('meshviz-tap-bookshop-web-20260304T050607Z.json');
    expect(JSON.parse(out.json)).toEqual({
      exportedAt: '2026-03-04T05:06:07.890Z',
      filters: { namespace: 'bookshop', workload: 'web' },
      droppedFromPage: 1,
      events: kept,
    });
  });
});

import { endpointUrl, STREAMS } from '@meshviz/api-client';
import { describe, expect, it } from 'vitest';
import { hrefWith } from '../../lib/view-params';
import {
  DEFAULT_MAX_RPS,
  describeFilters,
  EMPTY_FILTERS,
  filterProblems,
  filtersFromParams,
  filtersKey,
  filterUpdates,
  METHOD_OPTIONS,
  setFilters,
} from './stream-filters';

describe('tap filters in the URL', () => {
  it('reads every filter under the API’s parameter names, and nothing else', () => {
    const params = new URLSearchParams(
      'namespace=bookshop&workload=web&pod=web-0&direction=outbound&to_namespace=billing&to_workload=payments' +
        '&method=POST&path=%2Fcharge&authority=payments.billing&scheme=http&max_rps=50&window=5m&range=1h',
    );
    expect(filtersFromParams(params)).toEqual({
      namespace: 'bookshop',
      workload: 'web',
      pod: 'web-0',
      direction: 'outbound',
      to_namespace: 'billing',
      to_workload: 'payments',
      method: 'POST',
      path: '/charge',
      authority: 'payments.billing',
      scheme: 'http',
      max_rps: '50',
    });
  });

  it('round-trips through URL updates, leaving empty filters out and other parameters alone', () => {
    const filters = { ...EMPTY_FILTERS, namespace: 'bookshop', path: '/books ', max_rps: '' };
    const href = hrefWith('/tap', 'window=5m&workload=old', filterUpdates(filters));
    expect(href).toBe('/tap?window=5m&namespace=bookshop&path=%2Fbooks');
    expect(filtersFromParams(new URL(href, 'http://x').searchParams)).toEqual({ ...EMPTY_FILTERS, namespace: 'bookshop', path: '/books' });
  });

  it('updates only the filters given', () => {
    expect(filterUpdates({ workload: 'web', pod: '' })).toEqual({ workload: 'web', pod: null });
  });
});

describe('filterProblems', () => {
  it('accepts a namespace alone and a full set of good filters', () => {
    expect(filterProblems({ ...EMPTY_FILTERS, namespace: 'bookshop' })).toEqual({});
    expect(
      filterProblems({
        ...EMPTY_FILTERS,
        namespace: 'bookshop',
        workload: 'web',
        direction: 'inbound',
        method: 'GET',
        path: '/books',
        authority: 'web.bookshop.svc.cluster.local:80',
        max_rps: '1000',
      }),
    ).toEqual({});
  });

  it('names each bad field with the API schema’s reason', () => {
    const problems = filterProblems({ ...EMPTY_FILTERS, path: 'books', max_rps: '5000', method: 'BREW' });
    // Not chosen yet is a step to take, not a mistake to mark.
    expect(problems.namespace).toBeUndefined();
    expect(problems.path).toMatch(/must start with \//);
    expect(problems.max_rps).toMatch(/1000/);
    expect(problems.method).toBeDefined();
    expect(filterProblems({ ...EMPTY_FILTERS, namespace: 'Not_A_Label' }).namespace).toBeDefined();
  });
});

describe('streams and words', () => {
  it('builds the same-origin stream address with the set filters in the API’s order', () => {
    const filters = { ...EMPTY_FILTERS, max_rps: '20', namespace: 'bookshop', path: '/a b' };
    expect(endpointUrl(STREAMS.tap, { query: setFilters(filters) })).toBe('/api/v1/tap?namespace=bookshop&path=%2Fa+b&max_rps=20');
    expect(endpointUrl(STREAMS.top, { query: setFilters(filters) })).toBe('/api/v1/top?namespace=bookshop&path=%2Fa+b&max_rps=20');
  });

  it('tells filters apart by what is set', () => {
    expect(filtersKey({ ...EMPTY_FILTERS, namespace: 'a' })).toBe(filtersKey({ ...EMPTY_FILTERS, namespace: 'a' }));
    expect(filtersKey({ ...EMPTY_FILTERS, namespace: 'a' })).not.toBe(filtersKey({ ...EMPTY_FILTERS, namespace: 'a', pod: 'p' }));
  });

  it('describes filters for people', () => {
    expect(describeFilters({ ...EMPTY_FILTERS, namespace: 'bookshop', to_workload: 'reviews', max_rps: '5' })).toBe(
      'namespace bookshop, to workload reviews',
    );
    expect(describeFilters(EMPTY_FILTERS)).toBe('any request');
  });

  it('takes its options and default from the API’s schema', () => {
    expect(DEFAULT_MAX_RPS).toBe(100);
    expect(METHOD_OPTIONS).toContain('GET');
  });
});

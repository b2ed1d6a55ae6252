import { describe, expect, it } from 'vitest';
import { evaluate, type SyntheticSeries } from './synthetic-prometheus.js';

const s = (labels: Record<string, string>, value: number): SyntheticSeries => ({ labels, value });
const SERIES = [
  s({ __name__: 'response_total', namespace: 'shop', deployment: 'api', pod: 'api-0', classification: 'success' }, 3),
  s({ __name__: 'response_total', namespace: 'shop', deployment: 'api', pod: 'api-1', classification: 'success' }, 2),
  s({ __name__: 'response_total', namespace: 'shop', deployment: 'api', pod: 'api-1', classification: 'failure' }, 1),
  s({ __name__: 'response_total', namespace: 'jobs', deployment: 'batch', pod: 'batch-0', classification: 'success' }, 4),
  s({ __name__: 'deny_total', namespace: 'shop', deployment: 'api', client_id: '' }, 0.5),
  s({ __name__: 'other_deny_total', namespace: 'shop', deployment: 'api', client_id: 'a.jobs.serviceaccount.identity.x' }, 0.25),
];
const values = (query: string) =>
  evaluate(SERIES, query)?.map((x) => [x.metric, x.value]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The constructed fixtures are only as good as this evaluator: it must answer as Prometheus does. */
describe('the synthetic Prometheus', () => {
  it('sums rates by the kept labels, leaving out labels a group lacks', () => {
    expect(values('sum by (namespace, deployment, classification) (rate(response_total{namespace="shop"}[1m]))')).toEqual([
      [{ namespace: 'shop', deployment: 'api', classification: 'failure' }, 1],
      [{ namespace: 'shop', deployment: 'api', classification: 'success' }, 5],
    ]);
    expect(values('sum by (namespace, client_id) (rate({__name__=~"deny_total|other_deny_total"}[1m]))')).toEqual([
      [{ namespace: 'shop', client_id: 'a.jobs.serviceaccount.identity.x' }, 0.25],
      [{ namespace: 'shop' }, 0.5],
    ]);
  });
  it('matches regular expressions whole, and negations', () => {
    expect(values('count by (namespace) (response_total{client_id=~"", namespace!="shop"})')).toEqual([[{ namespace: 'jobs' }, 1]]);
    expect(values('sum by (deployment) (rate({__name__=~"deny_t.*", client_id!~"[^.]+\\\\.jobs\\\\..+"}[1m]))')).toEqual([[{ deployment: 'api' }, 0.5]]);
    expect(values('max by (pod) (response_total{pod=~"api"})')).toEqual([]);
  });
  it('keeps the left side of `or` and matches `-` on whole label sets', () => {
    const left = 'sum by (namespace) (rate(response_total{namespace="shop"}[1m]))';
    const all = 'sum by (namespace) (rate(response_total{}[1m]))';
    expect(values(`${left} or ${all}`)).toEqual([
      [{ namespace: 'jobs' }, 4],
      [{ namespace: 'shop' }, 6],
    ]);
    expect(values(`${all} - ${left}`)).toEqual([[{ namespace: 'shop' }, 0]]);
  });
  it('answers nothing outside its subset', () => {
    expect(evaluate(SERIES, 'histogram_quantile(0.5, sum by (le) (rate(x_bucket{}[1m])))')).toBeUndefined();
    expect(evaluate(SERIES, 'a{} * on (pod) group_left (identity) b{}')).toBeUndefined();
  });
});

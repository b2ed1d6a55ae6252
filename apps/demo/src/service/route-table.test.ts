import { RouteBehaviour } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table.js';

const route = (input: Record<string, unknown>) => RouteBehaviour.parse(input);

describe('RouteTable', () => {
  const table = () =>
    new RouteTable([
      route({ method: 'GET', path: '/books', latencyMs: 3 }),
      route({ method: 'POST', path: '/books', latencyMs: 4 }),
      route({ method: 'GET', path: '/reviews', failShare: 0.1, failStatus: 503, slowShare: 0.05, slowMs: 300 }),
    ]);

  it('matches method and exact path', () => {
    const routes = table();
    const get = routes.match('GET', '/books');
    const post = routes.match('POST', '/books');
    expect(get.kind === 'route' && get.plan.delayMs).toBe(3);
    expect(post.kind === 'route' && post.plan.delayMs).toBe(4);
    expect(routes.match('GET', '/books/1')).toEqual({ kind: 'not-found' });
    expect(routes.match('GET', '/book')).toEqual({ kind: 'not-found' });
    expect(routes.match('DELETE', '/books')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'POST'] });
  });

  it('fails and slows exact shares of a route, on requests that do not coincide', () => {
    const routes = table();
    const plans = Array.from({ length: 100 }, () => {
      const match = routes.match('GET', '/reviews');
      if (match.kind !== 'route') throw new Error('expected a route');
      return match.plan;
    });
    const failed = plans.filter((plan) => plan.status === 503);
    const slow = plans.filter((plan) => plan.delayMs === 300);
    expect(failed.length).toBe(10);
    expect(slow.length).toBe(5);
    expect(slow.filter((plan) => plan.status !== 200)).toEqual([]);
  });

  it('counts each route on its own', () => {
    const routes = table();
    for (let i = 0; i < 9; i++) routes.match('GET', '/books');
    const tenth = routes.match('GET', '/reviews');
    expect(tenth.kind === 'route' && tenth.plan.status).toBe(200);
  });
});

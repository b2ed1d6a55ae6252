import { describe, expect, it } from 'vitest';
import { parseRouteTarget } from './routes.js';
import { UsageError } from './usage-error.js';

describe('meshviz routes <target>', () => {
  it.each([
    ['web', { param: 'workload', name: 'web' }],
    ['deploy/web', { param: 'workload', name: 'web' }],
    ['deployment/web', { param: 'workload', name: 'web' }],
    ['svc/web', { param: 'service', name: 'web' }],
    ['service/web-api', { param: 'service', name: 'web-api' }],
  ])('reads %s', (arg, expected) => {
    expect(parseRouteTarget(arg)).toEqual(expected);
  });

  it.each([
    [undefined, /needs a workload or a service/],
    ['pod/web-0', /<target> "pod\/web-0": the kind must be deploy or svc/],
    ['svc/Web', /<target> "svc\/Web": "Web" is not a service name/],
    ['deploy/', /<target> "deploy\/": "" is not a workload name/],
  ])('refuses %s, naming the argument', (arg, message) => {
    expect(() => parseRouteTarget(arg)).toThrow(UsageError);
    expect(() => parseRouteTarget(arg)).toThrow(message);
  });
});

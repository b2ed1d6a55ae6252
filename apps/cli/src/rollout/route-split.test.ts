import { describe, expect, it } from 'vitest';
import { RouteFileError, scanRouteFile, withWeights } from './route-split.js';

const target = { namespace: 'bookshop', route: 'reviews-split', service: 'reviews', stable: 'reviews', canary: 'reviews-v2' };
const FILE = 'policy/reviews.yaml';

const ROUTE = `# Traffic split of reviews: most to v1, a little to v2.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews-split, namespace: bookshop }  # the canary's route
spec:
  parentRefs:
    - { group: "", kind: Service, name: reviews, port: 8080 }
  rules:
    - backendRefs:
        - name: reviews   # stable
          port: 8080
          weight: 90
        - { name: reviews-v2, port: 8080, weight: 10 }
---
# Who may call reviews.
apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: reviews-http, namespace: bookshop }
spec:
  podSelector: { matchLabels: { app: reviews } }
  port: http
`;

describe('finding the split in a file', () => {
  it('finds the route, its rule and the two weights', () => {
    const scan = scanRouteFile(FILE, ROUTE, target);
    expect(scan.routes).toEqual(['bookshop/reviews-split']);
    expect(scan.yamlError).toBeNull();
    expect(scan.split?.weights).toEqual({ stable: 90, canary: 10 });
    expect(scan.split?.rules.map((r) => [r.rule, r.stable.field, r.canary.field])).toEqual([[0, 'spec.rules.0.backendRefs.0', 'spec.rules.0.backendRefs.1']]);
  });

  it('lists the other routes of a file that does not declare the target', () => {
    const scan = scanRouteFile(FILE, ROUTE, { ...target, route: 'other' });
    expect(scan.split).toBeNull();
    expect(scan.routes).toEqual(['bookshop/reviews-split']);
    expect(scanRouteFile(FILE, ROUTE, { ...target, namespace: 'shop' }).split).toBeNull();
  });

  it('reports a document that is not YAML, with its line', () => {
    const scan = scanRouteFile(FILE, `${ROUTE}---\nkind: [unclosed\n`, target);
    expect(scan.yamlError).toMatch(/^document 3 is not valid YAML at line 2[3-4]/);
    expect(scan.split?.weights).toEqual({ stable: 90, canary: 10 });
  });

  it.each([
    ['the parent Service is another', ROUTE.replace('kind: Service, name: reviews,', 'kind: Service, name: ratings,'), 'spec.parentRefs: the route is not attached to Service reviews (its parents: Service ratings)'],
    ['the parent is a Server', ROUTE.replace('{ group: "", kind: Service, name: reviews, port: 8080 }', '{ group: policy.meshviz.io, kind: Server, name: reviews-http }'), 'spec.parentRefs: the route is not attached to Service reviews (its parents: Server reviews-http)'],
    ['the stable backend is missing', ROUTE.replace('name: reviews   # stable', 'name: reviews-v1'), 'spec.rules[].backendRefs: no backendRef names Service reviews (the backends: reviews-v1, reviews-v2)'],
    ['the canary backend is missing', ROUTE.replace('name: reviews-v2,', 'name: reviews-v3,'), 'spec.rules[].backendRefs: no backendRef names Service reviews-v2 (the backends: reviews, reviews-v3)'],
    ['a weight is not a number', ROUTE.replace('weight: 90', 'weight: "90"'), 'spec.rules.0.backendRefs.0.weight: must be a whole number from 0 to 1000000, got "90"'],
    ['a weight is negative', ROUTE.replace('weight: 10 }', 'weight: -1 }'), 'spec.rules.0.backendRefs.1.weight: must be a whole number from 0 to 1000000, got -1'],
    ['both weigh 0', ROUTE.replace('weight: 90', 'weight: 0').replace('weight: 10', 'weight: 0'), 'spec.rules.0.backendRefs: reviews and reviews-v2 both weigh 0'],
    ['there is no rule', ROUTE.replace(/ {2}rules:[\s\S]*?---/, '---'), 'spec.rules: is missing'],
    [
      'a third backend takes traffic',
      ROUTE.replace('weight: 10 }', 'weight: 10 }\n        - { name: reviews-v3, port: 8080, weight: 5 }'),
      'spec.rules.0.backendRefs.2: a rollout shifts traffic between two backends, and this rule also sends to a third (weight 5)',
    ],
  ])('refuses the route when %s, naming the file and field', (_what, text, message) => {
    expect(() => scanRouteFile(FILE, text, target)).toThrow(RouteFileError);
    expect(() => scanRouteFile(FILE, text, target)).toThrow(`${FILE}: HTTPRoute bookshop/reviews-split: ${message}`);
  });

  it('refuses backends that are never in the same rule', () => {
    const text = ROUTE.replace('        - { name: reviews-v2', '    - backendRefs:\n        - { name: reviews-v2');
    expect(() => scanRouteFile(FILE, text, target)).toThrow('spec.rules[].backendRefs: no rule sends to both reviews and reviews-v2');
  });

  it('refuses rules that split differently', () => {
    const text = ROUTE.replace(
      '        - { name: reviews-v2, port: 8080, weight: 10 }\n',
      '        - { name: reviews-v2, port: 8080, weight: 10 }\n    - matches: [{ path: { value: /admin } }]\n      backendRefs: [{ name: reviews, weight: 1 }, { name: reviews-v2, weight: 1 }]\n',
    );
    expect(() => scanRouteFile(FILE, text, target)).toThrow('spec.rules.1.backendRefs: splits 1/1 where spec.rules.0 splits 90/10 (reviews/reviews-v2)');
  });

  it('ignores a backend in another namespace and a rule that sends to one of the two only', () => {
    const text = ROUTE.replace(
      '        - { name: reviews-v2, port: 8080, weight: 10 }\n',
      '        - { name: reviews-v2, port: 8080, weight: 10 }\n        - { name: reviews-v2, namespace: other, weight: 0 }\n    - backendRefs: [{ name: reviews }]\n',
    );
    const split = scanRouteFile(FILE, text, target).split;
    expect(split?.rules.map((r) => r.rule)).toEqual([0]);
  });
});

describe('setting the weights', () => {
  it('changes only the two numbers: comments, other documents and formatting stay', () => {
    const out = withWeights(FILE, ROUTE, target, { stable: 75, canary: 25 });
    expect(out).toBe(ROUTE.replace('weight: 90', 'weight: 75').replace('weight: 10 }', 'weight: 25 }'));
    expect(scanRouteFile(FILE, out, target).split?.weights).toEqual({ stable: 75, canary: 25 });
  });

  it('sets every rule that sends to both', () => {
    const text = `${ROUTE.split('---')[0]}    - matches: [{ path: { value: /admin } }]\n      backendRefs: [{ name: reviews, weight: 9 }, { name: reviews-v2, weight: 1 }]\n`;
    const out = withWeights(FILE, text, target, { stable: 0, canary: 100 });
    expect(out).toContain('backendRefs: [{ name: reviews, weight: 0 }, { name: reviews-v2, weight: 100 }]');
    expect(out).toContain('          weight: 0\n        - { name: reviews-v2, port: 8080, weight: 100 }');
  });

  it('adds a weight to a backend that has none (weight 1), in block and flow style', () => {
    const text = ROUTE.replace('          port: 8080\n          weight: 90\n', '          port: 8080  # the app port\n').replace(', weight: 10 }', ' }');
    expect(scanRouteFile(FILE, text, target).split?.weights).toEqual({ stable: 1, canary: 1 });
    const out = withWeights(FILE, text, target, { stable: 95, canary: 5 });
    expect(out).toContain('        - name: reviews   # stable\n          port: 8080  # the app port\n          weight: 95\n        - { name: reviews-v2, port: 8080, weight: 5 }\n');
    expect(out.split('---')[1]).toBe(ROUTE.split('---')[1]);
  });

  it('adds a weight after a nested block, at the mapping\'s indentation', () => {
    const text = ROUTE.replace(
      '          port: 8080\n          weight: 90\n',
      '          port: 8080\n          filters:\n            - type: RequestHeaderModifier\n              requestHeaderModifier: { add: [{ name: x-v, value: "1" }] }\n',
    );
    const out = withWeights(FILE, text, target, { stable: 50, canary: 50 });
    expect(out).toContain('requestHeaderModifier: { add: [{ name: x-v, value: "1" }] }\n          weight: 50\n        - { name: reviews-v2');
  });

  it('keeps CRLF line ends', () => {
    const text = ROUTE.replace('          weight: 90\n', '').replaceAll('\n', '\r\n');
    const out = withWeights(FILE, text, target, { stable: 50, canary: 50 });
    expect(out).toContain('port: 8080\r\n          weight: 50\r\n');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

import { describe, expect, it } from 'vitest';
import { selectorMatches } from './coverage.js';

describe('selectorMatches', () => {
  const labels = { app: 'ledger', tier: 'backend' };

  it('needs every matchLabels pair and every expression', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'ledger' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'ledger', tier: 'front' } }, labels)).toBe(false);
    expect(
      selectorMatches({ matchLabels: { app: 'ledger' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels),
    ).toBe(false);
  });

  it('reads In, NotIn, Exists and DoesNotExist as Kubernetes does (NotIn holds when the label is absent)', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'backend'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });
});

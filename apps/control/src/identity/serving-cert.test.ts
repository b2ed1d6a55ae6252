import { IDENTITY_DEFAULTS } from '@meshviz/mesh-types';
import { expect, it } from 'vitest';
import { refreshDelayMs } from './serving-cert.js';

it('renews at 70 % of the remaining lifetime, clamped to 10 s – 24 h', () => {
  expect(refreshDelayMs(IDENTITY_DEFAULTS.leafLifetimeMs)).toBe(0.7 * IDENTITY_DEFAULTS.leafLifetimeMs);
  expect(refreshDelayMs(1000)).toBe(10_000);
  expect(refreshDelayMs(365 * 24 * 3600_000)).toBe(24 * 3600_000);
});

import type { RolloutEvent, RolloutView } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RowAttrs, TestIds } from '../../testids';
import { nextDecisionAt, stepsOf } from './progress';
import { RolloutCard } from './rollout-card';

const measured = { rps: 2, successRate: 1, p99Ms: 12 };
const event = (verdict: RolloutEvent['verdict'], step: number | null, canary: number, at: string, over: Partial<RolloutEvent> = {}): RolloutEvent => ({
  time: `2026-12-05T01:${at}.000Z`,
  verdict,
  step,
  weights: { stable: 100 - canary, canary },
  written: step !== null,
  measured: verdict === 'start' ? null : measured,
  reason: `${verdict} reason`,
  ...over,
});

/** reviews' canary as `meshviz rollout start --steps 25,50,100 --interval 30s` records it after `events`. */
function rollout(events: RolloutEvent[], over: Partial<RolloutView> = {}): RolloutView {
  const last = events.at(-1)!;
  return {
    version: 1,
    route: { namespace: 'bookshop', name: 'reviews-canary', file: 'bookshop.yaml' },
    service: 'reviews',
    stable: 'reviews',
    canary: 'reviews-v2',
    plan: { steps: [25, 50, 100], intervalMs: 30_000, minSuccessRate: 0.99, maxP99Ms: 500, window: '1m', measure: { kind: 'deployment', namespace: 'bookshop', name: 'reviews-v2' } },
    phase: 'running',
    startedAt: events[0]!.time,
    updatedAt: last.time,
    weights: last.weights,
    events,
    runnerGone: false,
    ...over,
  };
}

const running = rollout([event('start', null, 10, '00:00'), event('advance', 1, 25, '00:30'), event('advance', 2, 50, '01:00')]);
const rolledBack = rollout(
  [event('start', null, 10, '00:00'), event('advance', 1, 25, '00:30'), event('rolled-back', null, 0, '01:00', { written: true, measured: { rps: 2, successRate: 0.5, p99Ms: 12 } })],
  { phase: 'rolled-back' },
);

describe('rollout progress', () => {
  it('marks the steps done, current and next while running, and skipped once rolled back', () => {
    expect(stepsOf(running).map((s) => s.state)).toEqual(['done', 'current', 'next']);
    expect(stepsOf(rolledBack).map((s) => s.state)).toEqual(['done', 'skipped', 'skipped']);
    expect(stepsOf(rollout([event('start', null, 10, '00:00'), event('advance', 1, 25, '00:30'), event('advance', 2, 50, '01:00'), event('promoted', 3, 100, '01:30')], { phase: 'promoted' })).map((s) => s.state)).toEqual(['done', 'done', 'done']);
  });

  it('expects the next decision one interval after the last, only while a live process runs it', () => {
    expect(nextDecisionAt(running)).toBe(Date.parse('2026-12-05T01:01:30.000Z'));
    expect(nextDecisionAt({ ...running, runnerGone: true })).toBeNull();
    expect(nextDecisionAt(rolledBack)).toBeNull();
  });
});

describe('RolloutCard', () => {
  it("shows the route, its backends, the phase, the canary's share now and every decision, the latest first", () => {
    const html = renderToStaticMarkup(<RolloutCard rollout={running} />);
    expect(html).toContain(`${RowAttrs.route}="bookshop/reviews-canary"`);
    expect(html).toContain(`${RowAttrs.phase}="running"`);
    expect(html).toContain('HTTPRoute bookshop/reviews-canary');
    expect(html).toContain('href="/namespaces/bookshop/services/reviews"');
    expect(html).toMatch(/<strong>reviews-v2<\/strong> 50 % · reviews 50 %/);
    expect(html).toContain('style="width:50%"');
    expect(html.split(`data-testid="${TestIds.rolloutEvent}"`).slice(1).map((row) => /data-verdict="([^"]+)"/.exec(row)?.[1])).toEqual(['advance', 'advance', 'start']);
    expect(html).toContain('2/3');
    expect(html).toContain('next decision at');
    expect(html).not.toContain('has exited');
  });

  it('shows a rollback with the figure that broke its bound, and a rollout whose process is gone', () => {
    const html = renderToStaticMarkup(<RolloutCard rollout={rolledBack} />);
    expect(html).toContain(`${RowAttrs.phase}="rolled-back"`);
    expect(html).toMatch(/<strong>reviews-v2<\/strong> 0 % · reviews 100 %/);
    expect(html).toContain('50.00%');
    expect(html).not.toContain('next decision at');
    expect(renderToStaticMarkup(<RolloutCard rollout={{ ...running, runnerGone: true }} />)).toContain('has exited without a last decision');
  });
});

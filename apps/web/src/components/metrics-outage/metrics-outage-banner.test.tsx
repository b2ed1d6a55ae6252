import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MetricsOutageBanner, MetricsRecoveredNotice } from './metrics-outage-banner';

const at = (s: number) => new Date(2026, 0, 31, 13, 5, s).getTime();
const clock = (s: number) => new Date(at(s)).toLocaleTimeString();
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('MetricsOutageBanner', () => {
  it('says what is wrong, since when, which data stays and that it retries by itself', () => {
    const html = renderToStaticMarkup(<MetricsOutageBanner outage={{ since: at(10), lastDataAt: at(5), lastTriedAt: at(30), queries: 2 }} />);
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain('Prometheus is unreachable');
    expect(text(html)).toContain(`Metrics cannot be read since ${clock(10)}: the API cannot reach its Prometheus. API_PROMETHEUS_UNAVAILABLE`);
    expect(text(html)).toContain(`The numbers below are the last ones received, at ${clock(5)}, greyed until Prometheus answers.`);
    expect(text(html)).toContain(`asks again every 2 s (last at ${clock(30)})`);
  });

  it('says when nothing arrived before it', () => {
    const html = renderToStaticMarkup(<MetricsOutageBanner outage={{ since: at(10), lastDataAt: null, lastTriedAt: at(12), queries: 1 }} />);
    expect(text(html)).toContain('No numbers arrived before it stopped answering.');
  });
});

describe('MetricsRecoveredNotice', () => {
  it('dates the outage that ended', () => {
    const html = renderToStaticMarkup(<MetricsRecoveredNotice recovery={{ from: at(10), to: at(40) }} />);
    expect(html).toContain('role="status"');
    expect(text(html)).toBe(`Prometheus answers again: metrics could not be read from ${clock(10)} to ${clock(40)}; the numbers are current.`);
  });
});

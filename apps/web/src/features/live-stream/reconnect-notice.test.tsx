import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Reconnecting } from './reconnect';
import { attemptText, ReconnectNotice } from './reconnect-notice';
import { streamStatusText } from './stream-controls';

const broke = new Date(2026, 0, 31, 13, 5, 0).getTime();
const reconnecting: Reconnecting = {
  brokeAt: broke,
  cause: 'The meshviz API is not reachable.',
  code: 'WEB_API_UNREACHABLE',
  attempt: 2,
  nextAt: broke + 3_000,
  delayMs: 2_000,
  trying: false,
};
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('attemptText', () => {
  it('counts down to the next attempt, then says it is under way', () => {
    expect(attemptText(reconnecting, broke + 1_200)).toBe('attempt 2 in 2 s (waits 2 s, doubling up to 10 s)');
    expect(attemptText(reconnecting, broke + 9_000)).toBe('attempt 2 in 0 s (waits 2 s, doubling up to 10 s)');
    expect(attemptText({ ...reconnecting, trying: true }, broke)).toBe('attempt 2 under way…');
  });
});

describe('ReconnectNotice', () => {
  it('says the stream broke, why, that it reconnects by itself and what stays', () => {
    const html = renderToStaticMarkup(<ReconnectNotice reconnecting={reconnecting} reconnected={null} kept="the 120 requests captured" />);
    expect(html).toContain('data-state="reconnecting"');
    expect(text(html)).toContain(`The stream broke off at ${new Date(broke).toLocaleTimeString()}: reconnecting… attempt 2`);
    expect(text(html)).toContain('The meshviz API is not reachable. WEB_API_UNREACHABLE It opens again by itself when the API answers; the 120 requests captured stay below. Stop ends it.');
  });

  it('says when it reconnected and which requests may be missing', () => {
    const at = broke + 7_000;
    const html = renderToStaticMarkup(<ReconnectNotice reconnecting={null} reconnected={{ brokeAt: broke, at, attempts: 3 }} kept={null} />);
    expect(html).toContain('role="status"');
    expect(text(html)).toBe(
      `Reconnected at ${new Date(at).toLocaleTimeString()} after 3 attempts. Requests between ${new Date(broke).toLocaleTimeString()} and ${new Date(at).toLocaleTimeString()} were not captured and may be missing.`,
    );
  });

  it('says nothing for a stream that never broke', () => {
    expect(renderToStaticMarkup(<ReconnectNotice reconnecting={null} reconnected={null} kept={null} />)).toBe('');
  });
});

describe('streamStatusText', () => {
  const base = { error: null, proxies: ['shop/web-0'], startedAt: broke, reconnecting: null, reconnected: null };
  it('says a stream reconnects, and that a live one did', () => {
    expect(streamStatusText({ ...base, status: 'reconnecting', reconnecting }, 'namespace shop')).toBe('Reconnecting to namespace shop… (attempt 2)');
    const back = streamStatusText({ ...base, status: 'live', reconnected: { brokeAt: broke, at: broke + 5_000, attempts: 1 } }, 'namespace shop');
    expect(back).toMatch(/^Listening to namespace shop through 1 proxy since .+\. Reconnected at .+\.$/);
  });
});

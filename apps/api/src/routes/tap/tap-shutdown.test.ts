import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';

const token = 'tap-token-0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-api-tap-shutdown-'));
const targetsFile = path.join(dir, 'tap-targets.json');
writeFileSync(targetsFile, JSON.stringify({ targets: [{ namespace: 'shop', deployment: 'web', pod: 'web-0', tapAddr: '127.0.0.1:9' }] }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a response body to its end; resolves with what ended it ('end', or the error). */
async function readToEnd(body: ReadableStream<Uint8Array>): Promise<{ ending: string; text: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ending: 'end', text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (err) {
    return { ending: String(err), text };
  }
}

describe('tap streams on shutdown', () => {
  it.each(['tap', 'top'])('ends an open %s stream when the API closes, so it exits at once', async (stream) => {
    const cancelled: string[] = [];
    const app = buildApp({
      config: {
        prometheusUrl: 'http://127.0.0.1:9',
        prometheusTimeoutMs: 500,
        logLevel: 'silent',
        tap: { clientToken: token, proxyToken: 'p', targetsFile, port: 4190 },
      },
      // A proxy whose stream stays open until cancelled, as a real one's does.
      tapObserve: (target) => ({ cancel: () => cancelled.push(target.pod) }),
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/v1/${stream}?namespace=shop`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = readToEnd(res.body!);

    const started = performance.now();
    await app.close();
    const closeMs = performance.now() - started;
    const { ending, text } = await body;
    expect(ending).toBe('end');
    expect(text).toContain('event: start');
    // Without ending the stream, close waits for the client to leave (here: for ever).
    expect(closeMs).toBeLessThan(2_000);
    expect(cancelled).toEqual(['web-0']);
  });
});

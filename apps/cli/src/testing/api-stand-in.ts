import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';

/** What the stand-in answers a request path with: a status (200 by default) and a JSON body. */
export type StandInAnswer = (url: string) => { status?: number; body: unknown };

export interface ApiStandIn {
  /** Base URL to pass as `--api`. */
  readonly url: string;
  /** The request paths asked, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for the public API in CLI command tests: it serves answers shaped like the API's
 * (the tests build them from the contract's schemas) and records what was asked.
 */
export async function startApiStandIn(answer: StandInAnswer): Promise<ApiStandIn> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    asked.push(url);
    const { status = 200, body } = answer(url);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Runs a command, keeping what it writes to stdout. */
export async function captureStdout(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await run(), out };
  } finally {
    spy.mockRestore();
  }
}

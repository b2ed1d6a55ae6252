import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request to a stand-in store: its path, its parameters (a POST's form, else the URL's query) and headers. */
export interface StoreRequest {
  path: string;
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

/** What a stand-in store answers: JSON unless `contentType` says otherwise. */
export interface StoreAnswer {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * An HTTP server on a free loopback port that answers each request, once its body is read, with `handle`'s answer:
 * what every stand-in store of the tests (recorded, synthetic, scaled) shares.
 */
export async function startStoreServer(handle: (r: StoreRequest) => StoreAnswer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const answer = handle({ path: url.pathname, params: new URLSearchParams(req.method === 'POST' ? body : url.search), headers: req.headers });
      res.statusCode = answer.status;
      res.setHeader('content-type', answer.contentType ?? 'application/json');
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

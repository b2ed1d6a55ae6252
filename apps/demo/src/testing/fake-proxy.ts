import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../runtime/lifecycle.js';

export interface SeenRequest {
  method: string;
  path: string;
  host: string;
}

/**
 * A real HTTP server standing in for an outbound proxy: it records what arrives (the Host header above all)
 * and answers with whatever status `answer` returns.
 */
export async function startFakeProxy(answer: (seen: SeenRequest) => number | Promise<number> = () => 200) {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const request = { method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '' };
    seen.push(request);
    req.resume();
    void Promise.resolve(answer(request)).then((status) => res.writeHead(status).end('{}'));
  });
  const port = await listen(server, '127.0.0.1', 0);
  return { port, seen, close: () => closeServer(server, 100) };
}

import type { ServerResponse } from 'node:http';
import type { ProxyResponse } from '../core/stage.js';
import { stripHopByHop } from './hop-by-hop.js';
import { toPairs } from './raw-headers.js';

/** Streams the upstream response to the client, trailers included, with backpressure. */
export function relay(res: ServerResponse, response: ProxyResponse, closeConnection: boolean): void {
  const headers = stripHopByHop(response.headers, 'response');
  if (closeConnection) headers.push('connection', 'close');
  res.writeHead(response.status, response.statusMessage, headers);
  const { body } = response;
  body.once('end', () => {
    const trailers = response.trailers();
    if (trailers.length > 0) res.addTrailers(toPairs(trailers));
  });
  // A body cut short (upstream reset, or released because the client left) must cut the client's response too:
  // in HTTP/1.1 a closed connection is the only way to say "incomplete". pipe() rather than pipeline(): the
  // latter costs an AbortController and a DOMException per response, measurable on the hot path.
  body.once('close', () => {
    if (!body.readableEnded) res.destroy();
  });
  body.pipe(res);
}

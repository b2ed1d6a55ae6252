import { Readable } from 'node:stream';
import type { HostPort } from '@meshviz/runtime';
import type { Destination, HttpVersion, Stage } from '../core/stage.js';

/** The endpoint stage's target: one concrete address, and how metrics name it. */
export interface EndpointTarget {
  readonly addr: HostPort;
  readonly destination: Destination;
}

/**
 * Endpoint stage: sends each request over the client's own protocol (HTTP/2 in, HTTP/2 out; HTTP/1.1 in,
 * HTTP/1.1 out), so that what the protocol means end to end (trailers, streams, resets) survives the hop.
 */
export function forward(byVersion: Record<HttpVersion, Stage<EndpointTarget>>): Stage<EndpointTarget> {
  const http1 = byVersion['http/1.1'];
  const h2 = byVersion.h2;
  return (target, request) => (request.version === 'h2' ? h2 : http1)(target, request);
}

/** A body that is over before it starts: a 101's, whose bytes flow on the upgraded connection instead. */
export function endedBody(): Readable {
  return new Readable({
    read() {
      this.push(null);
    },
  });
}

import type { Readable } from 'node:stream';
import type { ProxyErrorKind } from '@meshviz/mesh-types';
import { closedAlready } from '../core/body-close.js';
import { grpcStatusOf } from '../core/grpc-status.js';
import type { ProxyResponse } from '../core/stage.js';
import { toProxyError } from '../errors/proxy-error.js';

/** How a response ended, seen from the client's side of the proxy. */
export interface Outcome {
  /** Set when the body did not arrive whole: upstream reset (connection_reset) or the client left (client_reset). */
  readonly error: ProxyErrorKind | undefined;
  /** The grpc-status of a gRPC response (trailers, or the headers of a trailers-only answer). */
  readonly grpcStatus: number | undefined;
}

type Done = (outcome: Outcome) => void;

const WATCH = Symbol('meshviz.outcome');

/**
 * Everyone waiting for one response body's end: the metrics stages (request, route, attempt, split) each want
 * the same outcome, so a body gets one 'close' listener and its outcome is worked out once, however many stages
 * watch it.
 */
class OutcomeWatch {
  private readonly waiting: Done[] = [];
  private readonly grpc: boolean[] = [];

  constructor(private readonly response: ProxyResponse) {}

  add(grpc: boolean, done: Done): void {
    this.waiting.push(done);
    this.grpc.push(grpc);
  }

  readonly fire = (): void => {
    const { body } = this.response;
    // Not ended means the body was cut: by the upstream (reset) or by the client leaving (client_reset).
    const error = body.readableEnded ? undefined : toProxyError(body.errored ?? resetWithoutCause()).kind;
    const plain: Outcome = { error, grpcStatus: undefined };
    let withStatus: Outcome | undefined;
    for (let i = 0; i < this.waiting.length; i++) {
      if (this.grpc[i]) withStatus ??= { error, grpcStatus: grpcStatusOf(this.response) };
      (this.waiting[i] as Done)(this.grpc[i] ? (withStatus as Outcome) : plain);
    }
  };
}

/**
 * Calls `done` once the response body closes, including when it closed already (an HTTP/2 answer that ends with
 * its headers is closed by Node before the stages that awaited it get to subscribe). The caller passes `grpc`
 * only for gRPC requests, so plain HTTP never scans headers for a status it cannot have.
 */
export function onOutcome(response: ProxyResponse, grpc: boolean, done: Done): void {
  const body = response.body as Readable & { [WATCH]?: OutcomeWatch };
  if (closedAlready(body)) {
    const watch = new OutcomeWatch(response);
    watch.add(grpc, done);
    watch.fire();
    return;
  }
  let watch = body[WATCH];
  if (!watch) {
    watch = new OutcomeWatch(response);
    body[WATCH] = watch;
    // 'close' comes once; `on` spares the once-wrapper.
    body.on('close', watch.fire);
  }
  watch.add(grpc, done);
}

function resetWithoutCause(): Error {
  return Object.assign(new Error('response body closed early'), { code: 'ECONNRESET' });
}

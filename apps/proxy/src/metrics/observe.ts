import { toProxyError } from '../errors/proxy-error.js';
import { errorStatus } from '../errors/respond.js';
import type { HttpTarget, ProxyResponse, Stage } from '../http/exchange.js';
import { classify } from './classify.js';
import type { HttpSeries } from './http-series.js';

/** Labels a failure that happened before any destination was chosen (e.g. an invalid Host). */
const NOWHERE = { key: 'none', targetAddr: '' } as const;

/**
 * Metrics stage: counts every exchange once, under the destination the inner stages reached. Latency is taken
 * at response headers (or at the proxy's own error answer); response_total is counted when the response body
 * closes, so a reset mid-body is a failure even though a 200 was already sent.
 */
export function observe(series: HttpSeries, next: Stage<HttpTarget>): Stage<HttpTarget> {
  return async (target, request) => {
    let response: ProxyResponse;
    try {
      response = await next(target, request);
    } catch (thrown) {
      const error = toProxyError(thrown);
      const entry = series.get(target.direction, target.authority, error.destination ?? NOWHERE);
      const status = errorStatus(error.kind);
      entry.countRequest();
      if (status !== null) entry.observeLatency(status, performance.now() - request.receivedAt);
      entry.countResponse(status, 'failure', error.kind);
      throw error;
    }

    const entry = series.get(target.direction, target.authority, response.destination);
    const { status, body } = response;
    entry.countRequest();
    entry.observeLatency(status, performance.now() - request.receivedAt);
    body.once('close', () => {
      // Not ended means the body was cut: by the upstream (reset) or by the client leaving (client_reset).
      const error = body.readableEnded ? undefined : toProxyError(body.errored ?? resetWithoutCause()).kind;
      entry.countResponse(status, classify(status, error), error);
    });
    return response;
  };
}

function resetWithoutCause(): Error {
  return Object.assign(new Error('response body closed early'), { code: 'ECONNRESET' });
}

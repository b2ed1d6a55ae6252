import { Readable } from 'node:stream';
import type { ExchangeSignal } from '../core/exchange-signal.js';
import { NO_TRAILERS, type ProxyResponse, type Stage } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { OutboundSeries } from '../metrics/outbound-series.js';
import type { RoutePolicy } from '../route/route-policy.js';
import type { RouteTarget } from '../route/target.js';

/** Marks the answers the proxy made up for a fault, so nobody mistakes them for the app's. */
export const FAULT_HEADER = 'x-meshviz-fault';

/**
 * Fault injection stage (outbound routes, first of the route's own stages): the route's delay share is held for
 * its duration before going on, its abort share is answered at once with the configured status and
 * `x-meshviz-fault: abort`, without reaching any backend. Shares are spread evenly (fault/fault.ts), and every fault
 * is counted in outbound_http_route_faults_injected_total. The route's timeouts start after a delay.
 */
export function injectFaults(series: OutboundSeries, next: Stage<RouteTarget>): Stage<RouteTarget> {
  return async (target, request) => {
    const policy = target.route.policy;
    const fault = policy?.fault;
    if (!policy || !fault) return next(target, request);
    const decision = fault.decide();
    if (decision.delayMs !== undefined) {
      series.route(policy.ref).countFault('delay');
      await hold(decision.delayMs, request.signal);
    }
    if (decision.abort !== undefined) {
      series.route(policy.ref).countFault('abort');
      // The client may still be sending; read it so its connection can carry the answer and the next request.
      if (!request.bodyless) request.body.resume();
      return abortAnswer(decision.abort, policy);
    }
    return next(target, request);
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when the client leaves first. */
function hold(ms: number, signal: ExchangeSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new ProxyError('client_reset'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason ?? new ProxyError('client_reset'));
    };
    const timer = setTimeout(() => {
      signal.offAbort(onAbort);
      resolve();
    }, ms);
    signal.onAbort(onAbort);
  });
}

function abortAnswer(status: number, policy: RoutePolicy): ProxyResponse {
  const text = Buffer.from(`meshviz proxy: fault injected: route ${policy.ref.kind}/${policy.ref.name} aborts this share of its requests with ${status}\n`);
  return {
    status,
    statusMessage: '',
    headers: ['content-type', 'text/plain; charset=utf-8', 'content-length', String(text.length), FAULT_HEADER, 'abort'],
    body: Readable.from([text], { objectMode: false }),
    bodyless: false,
    trailers: NO_TRAILERS,
    destination: policy.service,
  };
}

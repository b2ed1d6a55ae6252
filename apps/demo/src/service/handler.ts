import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DownstreamCall } from '@meshviz/mesh-types';
import { sendJson } from '../runtime/http-json.js';
import type { Logger } from '../runtime/logger.js';
import type { OutboundClient, OutboundResult } from '../runtime/outbound-client.js';
import { authorityOf } from '../runtime/service-ref.js';
import type { RouteTable } from './route-table.js';

/** Downstream calls give up after this long; the caller then answers 502 like for any failed call. */
export const DOWNSTREAM_TIMEOUT_MS = 10_000;

export interface Identity {
  namespace: string;
  name: string;
  pod: string;
}

export interface HandlerDeps {
  identity: Identity;
  routes: RouteTable;
  outbound: OutboundClient;
  logger: Logger;
}

export function createHandler(deps: HandlerDeps) {
  const { identity, routes, outbound, logger } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Request bodies carry nothing the demo needs; drain them so keep-alive connections stay usable.
    req.resume();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz' && method === 'GET') return sendJson(res, 200, { status: 'ok', pod: identity.pod });

    const match = routes.match(method, path);
    if (match.kind === 'not-found') return sendJson(res, 404, { error: 'no such route', method, path });
    if (match.kind === 'method-not-allowed') {
      return sendJson(res, 405, { error: 'method not allowed', method, path }, { allow: match.allow.join(', ') });
    }

    const { route, delayMs, status } = match.plan;
    const routeName = `${route.method} ${route.path}`;
    if (delayMs > 0) await sleep(delayMs);
    for (const call of route.calls) {
      const result = await callDownstream(outbound, call);
      if (isFailure(result)) {
        logger.debug({ route: routeName, downstream: call.service, result }, 'downstream call failed');
        return sendJson(res, 502, { error: 'downstream failed', pod: identity.pod, route: routeName, downstream: call.service, result });
      }
    }
    if (status !== 200) return sendJson(res, status, { error: 'injected failure', pod: identity.pod, route: routeName });
    return sendJson(res, 200, { pod: identity.pod, service: `${identity.name}.${identity.namespace}`, route: routeName });
  };
}

function callDownstream(outbound: OutboundClient, call: DownstreamCall): Promise<OutboundResult> {
  return outbound.send({
    authority: authorityOf(call.service),
    method: call.method,
    path: call.path,
    timeoutMs: DOWNSTREAM_TIMEOUT_MS,
  });
}

function isFailure(result: OutboundResult): boolean {
  return result.kind === 'error' || result.status >= 500;
}

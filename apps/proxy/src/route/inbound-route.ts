import type { EndpointTarget } from '../endpoint/forward.js';
import type { HttpTarget, Stage } from '../http/exchange.js';
import { formatHostPort, type HostPort } from '../host-port.js';

/**
 * Inbound route stage: everything goes to the local application. This is where per-port server policy
 * (authorization, protocol hints) will sit once the control plane provides it.
 */
export function routeToLocalApp(app: HostPort, next: Stage<EndpointTarget>): Stage<HttpTarget> {
  const targetAddr = formatHostPort(app);
  const target: EndpointTarget = { addr: app, destination: { key: `app\u0000${targetAddr}`, targetAddr } };
  return (_target, request) => next(target, request);
}

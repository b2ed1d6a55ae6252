import type { ConnectionHandler } from '../accept/listener.js';
import type { AuthzSeries } from '../metrics/authz-series.js';
import { refusalReason } from './decision.js';
import type { PolicyState } from './state.js';

/**
 * Opaque connection authorization (inbound, in front of the TCP tunnel): the port's authorizations are checked
 * once, when the connection is handed to the tunnel. A refused connection is destroyed at once, before the app is
 * dialled, so not a byte reaches it. A policy change applies to connections opened after it; open tunnels finish.
 */
export function authorizeTcp(state: PolicyState, series: AuthzSeries, next: ConnectionHandler): ConnectionHandler {
  return (socket, accepted, first) => {
    const decision = state.forPort(accepted.original?.port).decideTcp(accepted.tls, accepted.peer);
    series.tcp(decision, accepted.tls);
    if (decision.outcome === 'allow') {
      next(socket, accepted, first);
      return;
    }
    if (accepted.log.isLevelEnabled('debug')) {
      accepted.log.debug({ reason: refusalReason(decision, accepted.tls, accepted.peer) }, 'opaque connection refused by the inbound policy');
    }
    socket.destroy();
  };
}

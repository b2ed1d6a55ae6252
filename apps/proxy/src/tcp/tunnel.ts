import type { Socket } from 'node:net';
import { TRANSPORT_ALPN } from '@meshviz/mesh-types';
import type { Accepted, ConnectionHandler } from '../accept/listener.js';
import type { EndpointConnector } from '../endpoint/connect.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { InFlight } from '../lifecycle/in-flight.js';
import type { Drainable } from '../lifecycle/side.js';

export interface TcpStage extends Drainable {
  readonly handle: ConnectionHandler;
}

export interface TunnelOptions {
  /** Opens the upstream: mTLS with the transport ALPN to meshed endpoints. */
  readonly connector: EndpointConnector;
  /** Where a connection goes; undefined when the proxy cannot know (it is then closed). */
  readonly resolve: (accepted: Accepted) => EndpointTarget | undefined;
  /** Told when a tunnel to an endpoint opens and closes (the balancer's load). */
  readonly onOpen?: (target: EndpointTarget) => () => void;
}

/**
 * Opaque TCP stage: connects to the resolved endpoint and copies bytes both ways with backpressure. Each side's
 * FIN is passed on (half-close), and a reset or failure on one side resets the other, so the client sees what
 * the server did. Only the tcp_* families measure it: there are no requests to count.
 */
export function tunnelTcp(options: TunnelOptions): TcpStage {
  const inFlight = new InFlight();
  const open = new Set<Socket>();

  const handle: ConnectionHandler = (client, accepted) => {
    const target = options.resolve(accepted);
    if (!target) {
      accepted.log.debug('opaque connection with no known destination; closing it');
      client.destroy();
      return;
    }
    inFlight.enter();
    const release = options.onOpen?.(target);
    const upstream = options.connector.connect(target, TRANSPORT_ALPN);
    open.add(upstream);
    upstream.on('error', (error) => accepted.log.debug({ err: error, target: target.destination.targetAddr }, 'opaque upstream failed'));

    let closed = 0;
    const onClose = (): void => {
      closed += 1;
      if (closed < 2) return;
      open.delete(upstream);
      release?.();
      inFlight.leave();
    };
    const cut = (other: Socket) => (hadError: boolean) => {
      onClose();
      if (other.destroyed) return;
      if (hadError) other.resetAndDestroy();
      else other.end();
    };
    client.once('close', cut(upstream));
    upstream.once('close', cut(client));
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };

  return {
    handle,
    // Tunnels end when their peers end them; shutdown waits for that within the grace period.
    drain: () => inFlight.idle(),
    close: () => {
      for (const socket of open) socket.destroy();
    },
  };
}

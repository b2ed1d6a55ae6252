import type { Direction } from '@meshviz/mesh-types';
import type { Accepted } from '../accept/listener.js';
import type { HttpTarget, Stage } from '../core/stage.js';
import { type HttpStage, serveHttp } from '../http/server.js';
import { InFlight } from '../lifecycle/in-flight.js';
import { ClientConn, KEEP_ALIVE_SECONDS } from './client-conn.js';

/**
 * Idle client connections are closed after 5 (to 6) s, Node's default keep-alive timeout, which every answer
 * announces (KEEP_ALIVE_SECONDS): one sweep a second counts each idle connection's sweeps, so an exchange costs no
 * clock reading or timer.
 */
const SWEEP_EVERY_MS = 1_000;
const IDLE_SWEEPS = KEEP_ALIVE_SECONDS;

/** What a client connection needs from the stage that owns it. */
export interface FastServer {
  readonly next: Stage<HttpTarget>;
  readonly inFlight: InFlight;
  readonly draining: boolean;
  /** Node's server path, for a connection the fast path hands over. */
  fallback(socket: ClientConn['socket'], accepted: Accepted): void;
  forget(conn: ClientConn): void;
}

/**
 * HTTP/1.1 stage, fast path first: requests the strict parser accepts are served without Node's http.Server
 * (ClientConn); a connection whose request it does not take goes to the Node path (serveHttp), which answers
 * malformed input with 400, oversized heads with 431 and slow ones with 408, and carries upgrades and
 * Expect: 100-continue. Both feed the same stages.
 */
export function serveHttpFast(next: Stage<HttpTarget>, options: { direction: Direction; headerTimeoutMs: number }): HttpStage {
  const node = serveHttp(next, options);
  const conns = new Set<ClientConn>();
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = (): void => {
    for (const conn of conns) {
      if (conn.busy) continue;
      conn.idleSweeps += 1;
      if (conn.idleSweeps > IDLE_SWEEPS) conn.closeIfIdle();
    }
    if (conns.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };
  const server: FastServer & { draining: boolean } = {
    next,
    inFlight: new InFlight(),
    draining: false,
    fallback: (socket, accepted) => node.handle(socket, accepted),
    forget: (conn) => conns.delete(conn),
  };
  return {
    handle: (socket, accepted) => {
      conns.add(new ClientConn(socket, accepted, server));
      sweeper ??= setInterval(sweep, SWEEP_EVERY_MS).unref();
      // Detection paused the socket to put its first bytes back; they are read from here on.
      socket.resume();
    },
    drain: () => {
      server.draining = true;
      for (const conn of conns) conn.closeIfIdle();
      return Promise.all([node.drain(), server.inFlight.idle()]).then(() => {});
    },
    close: () => {
      clearInterval(sweeper);
      sweeper = undefined;
      node.close();
    },
  };
}

import { formatHostPort } from '@meshviz/runtime';
import type { EndpointConnector } from '../endpoint/connect.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { MAX_HEADER_BYTES } from '../http/limits.js';
import { H2ClientSession } from './client-session.js';

/** A session with no streams for this long is closed gracefully. */
const IDLE_SESSION_MS = 30_000;
const STREAM_WINDOW_BYTES = 1024 * 1024;
const SESSION_WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * One session of the proxy's own HTTP/2 client per endpoint address, shared by all requests to it. A session
 * that fails, receives GOAWAY or closes is forgotten at once; streams already on it finish there.
 */
export class H2FastPool {
  private readonly sessions = new Map<string, H2ClientSession>();

  constructor(private readonly connector: EndpointConnector) {}

  get(target: EndpointTarget): H2ClientSession {
    const key = formatHostPort(target.addr);
    const existing = this.sessions.get(key);
    if (existing && !existing.closed) return existing;
    const socket = this.connector.connect(target, 'h2');
    const session = new H2ClientSession(socket, {
      maxHeaderListSize: MAX_HEADER_BYTES,
      streamWindow: STREAM_WINDOW_BYTES,
      sessionWindow: SESSION_WINDOW_BYTES,
    });
    const forget = (): void => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    };
    session.on('goaway', forget);
    session.once('close', forget);
    socket.setTimeout(IDLE_SESSION_MS, () => {
      if (session.busy) return;
      forget();
      session.close();
    });
    this.sessions.set(key, session);
    return session;
  }

  close(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }
}

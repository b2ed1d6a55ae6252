import http2, { type ClientHttp2Session } from 'node:http2';
import { formatHostPort } from '@meshviz/runtime';
import { MAX_HEADER_BYTES } from '../http/limits.js';
import type { EndpointConnector } from './connect.js';
import type { EndpointTarget } from './forward.js';

/** A session with no frames for this long is closed gracefully (its open streams, if any, still finish). */
const IDLE_SESSION_MS = 30_000;

/**
 * Larger flow-control windows than HTTP/2's 64 KiB default, so one stream can fill a loopback or LAN pipe
 * without waiting for WINDOW_UPDATEs; flow control still applies, it just starts from a larger credit.
 */
const STREAM_WINDOW_BYTES = 1024 * 1024;
const SESSION_WINDOW_BYTES = 8 * 1024 * 1024;

export interface H2PoolOptions {
  readonly connector: EndpointConnector;
}

/**
 * One HTTP/2 session per endpoint address, shared by all requests to it: HTTP/2 multiplexes, so there is no
 * reason to open more. A session that fails, receives GOAWAY or closes is forgotten at once, so the next request
 * opens a fresh one while streams already on the old session finish there.
 */
export class H2Pool {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly options: H2PoolOptions) {}

  get(target: EndpointTarget): ClientHttp2Session {
    const key = formatHostPort(target.addr);
    const existing = this.sessions.get(key);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const session = this.connect(target, key);
    this.sessions.set(key, session);
    return session;
  }

  /** Destroys every session (end of shutdown: whatever is still open has run out of grace). */
  close(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private connect(target: EndpointTarget, key: string): ClientHttp2Session {
    const { connector } = this.options;
    const session = http2.connect(`http://${key}`, {
      createConnection: () => connector.connect(target, 'h2'),
      settings: { enablePush: false, maxHeaderListSize: MAX_HEADER_BYTES, initialWindowSize: STREAM_WINDOW_BYTES },
      maxSessionMemory: 64,
    });
    const forget = (): void => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    };
    // The streams carry a session failure to their exchanges; the pool only has to stop handing the session out.
    session.on('error', forget);
    session.on('goaway', forget);
    session.once('close', forget);
    session.once('connect', () => session.setLocalWindowSize(SESSION_WINDOW_BYTES));
    session.setTimeout(IDLE_SESSION_MS, () => {
      forget();
      session.close();
    });
    return session;
  }
}

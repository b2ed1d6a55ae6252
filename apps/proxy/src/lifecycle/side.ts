import { setTimeout as sleep } from 'node:timers/promises';
import type { Listener } from '../accept/listener.js';

/** A stage that holds connections or exchanges: HTTP/1.1, HTTP/2, opaque TCP. */
export interface Drainable {
  /** Stop taking new work on existing connections (Connection: close, GOAWAY); resolves once none is in flight. */
  drain(): Promise<void>;
  /** Releases the stage's timers and sessions once its connections are gone. */
  close(): void;
}

/** A running inbound or outbound side: its listeners, the stages behind them and its upstream pools. */
export interface Side {
  readonly address: string;
  /** Stop accepting, let in-flight work finish within `graceMs`, then close whatever is left. */
  shutdown(graceMs: number): Promise<void>;
}

export function side(listeners: readonly Listener[], stages: readonly Drainable[], releaseUpstreams: () => void): Side {
  return {
    address: listeners[0]?.address ?? '',
    shutdown: async (graceMs) => {
      for (const listener of listeners) listener.stopAccepting();
      const timer = new AbortController();
      const drained = Promise.all(stages.map((stage) => stage.drain()));
      await Promise.race([drained, sleep(graceMs, undefined, { signal: timer.signal }).catch(() => {})]);
      timer.abort();
      for (const listener of listeners) listener.destroyConnections();
      for (const stage of stages) stage.close();
      releaseUpstreams();
    },
  };
}

import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Listener } from '../accept/listener.js';
import type { HttpStage } from '../http/server.js';

/** A running inbound or outbound side: its listener, the HTTP stage on it and its upstream pool. */
export interface Side {
  readonly address: string;
  /** Stop accepting, let in-flight exchanges finish within `graceMs`, then close whatever is left. */
  shutdown(graceMs: number): Promise<void>;
}

export function side(listener: Listener, httpStage: HttpStage, agent: Agent): Side {
  return {
    address: listener.address,
    shutdown: async (graceMs) => {
      listener.stopAccepting();
      const timer = new AbortController();
      await Promise.race([httpStage.drain(), sleep(graceMs, undefined, { signal: timer.signal }).catch(() => {})]);
      timer.abort();
      listener.destroyConnections();
      httpStage.close();
      agent.destroy();
    },
  };
}

import type { Load } from '@meshviz/mesh-types';
import type { Logger } from '../runtime/logger.js';
import type { OutboundClient } from '../runtime/outbound-client.js';
import { authorityOf } from '../runtime/service-ref.js';
import { type CountStore, ERROR_STATUS } from './count-store.js';
import { startSteadySchedule } from './steady-schedule.js';
import { WeightedRoundRobin } from './weighted-round-robin.js';

/** Each request gives up after this long and counts as status "error". */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface Generator {
  /** Stops sending and resolves once every request in flight has been counted. */
  stop(): Promise<void>;
}

/** Sends `load.rate` requests per second through the outbound proxy and records each outcome in `store`. */
export function startGenerator(load: Load, outbound: OutboundClient, store: CountStore, logger: Logger): Generator {
  const targets = load.targets.map((target, index) => ({
    index,
    target,
    authority: authorityOf(target.service),
  }));
  const picker = new WeightedRoundRobin(targets.map((item) => ({ item, weight: item.target.weight })));
  const inFlight = new Set<Promise<void>>();

  const sendOne = () => {
    const { index, target, authority } = picker.next();
    const started = performance.now();
    const done = outbound
      .send({ authority, method: target.method, path: target.path, timeoutMs: REQUEST_TIMEOUT_MS })
      .then((result) => {
        if (result.kind === 'response') {
          // Request sent → response headers, as the proxies measure; see OutboundResult.
          store.record(index, result.status, result.latencyMs);
        } else {
          store.record(index, ERROR_STATUS, performance.now() - started);
          logger.debug({ target: target.service, path: target.path, ...result }, 'request failed');
        }
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const stopSchedule = startSteadySchedule(load.rate, sendOne);
  return {
    async stop() {
      stopSchedule();
      await Promise.allSettled([...inFlight]);
    },
  };
}

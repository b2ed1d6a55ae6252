import { Counter, Gauge, type Registry } from 'prom-client';

/** Tap's own health on the proxy's registry. Names are meshviz's (linkerd2-proxy has no equivalent families). */
export const TAP_METRIC = {
  subscriptions: 'tap_subscriptions',
  eventsDropped: 'tap_events_dropped_total',
} as const;

export interface TapMetrics {
  readonly subscriptions: Gauge;
  readonly eventsDropped: Counter;
}

export function createTapMetrics(registry: Registry): TapMetrics {
  return {
    subscriptions: new Gauge({
      name: TAP_METRIC.subscriptions,
      help: 'Open tap Observe streams on this proxy.',
      registers: [registry],
    }),
    eventsDropped: new Counter({
      name: TAP_METRIC.eventsDropped,
      help: 'Tap events not delivered because a subscriber read too slowly and its queue was full.',
      registers: [registry],
    }),
  };
}

import type { Logger } from 'pino';
import type { ExchangeEvents, ExchangeListener } from '../core/exchange-events.js';
import type { HttpTarget, ProxyRequest } from '../core/stage.js';
import type { ProxyIdentity } from './events.js';
import { ExchangeTap, type ExchangeTapHub } from './exchange.js';
import { type ExchangeFacts, matches, type TapFilter } from './match.js';
import type { TapMetrics } from './metrics.js';
import { type HeaderRedactor, headerRedactor } from './redact.js';
import { DEFAULT_QUEUE_LIMIT, type EventSink, Subscription } from './subscription.js';

/** Beyond this, new subscriptions are refused: each one costs matching work on every tapped request. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 64;

export interface TapHubOptions {
  readonly identity: ProxyIdentity;
  /** Headers to redact on top of ALWAYS_REDACTED_HEADERS, any case. */
  readonly redactHeaders?: readonly string[];
  readonly queueLimit?: number;
  readonly maxSubscriptions?: number;
  readonly metrics?: TapMetrics;
  readonly log?: Logger;
}

/**
 * The per-proxy meeting point of the data path and the tap server. The observe stage calls onRequest for every
 * exchange; while nobody taps that is one property check, and everything else is paid only while someone taps.
 */
export class TapHub implements ExchangeEvents, ExchangeTapHub {
  /** True while at least one subscriber is connected. */
  active = false;
  /** Exchanges that went through the tap path; lets tests prove the idle fast path is taken. */
  inspected = 0;
  readonly identity: ProxyIdentity;
  readonly redact: HeaderRedactor;
  readonly log: Logger | undefined;
  private readonly subscriptions = new Set<Subscription>();
  private readonly queueLimit: number;
  private readonly maxSubscriptions: number;
  private readonly metrics: TapMetrics | undefined;
  private lastId = 0;
  private closed = false;

  constructor(options: TapHubOptions) {
    this.identity = options.identity;
    this.redact = headerRedactor(options.redactHeaders);
    this.queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    this.maxSubscriptions = options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS;
    this.metrics = options.metrics;
    this.log = options.log;
  }

  onRequest(target: HttpTarget, request: ProxyRequest): ExchangeListener | undefined {
    if (!this.active) return undefined;
    this.inspected += 1;
    return new ExchangeTap(this, target, request);
  }

  /** Adds a subscriber; the reason it cannot when the hub is closed or full. */
  subscribe(sink: EventSink, maxRps: number, filter: TapFilter): Subscription | { refused: string; closed: boolean } {
    if (this.closed) return { refused: 'the proxy is shutting down', closed: true };
    if (this.subscriptions.size >= this.maxSubscriptions) {
      return { refused: `this proxy already serves ${this.maxSubscriptions} tap subscriptions`, closed: false };
    }
    const subscription = new Subscription(filter, maxRps, sink, this.queueLimit, (n) =>
      this.metrics?.eventsDropped.inc(n),
    );
    this.subscriptions.add(subscription);
    this.changed();
    return subscription;
  }

  /** Removes a subscriber at once (cancel, disconnect, end); safe to call twice. */
  unsubscribe(subscription: Subscription): void {
    subscription.close();
    if (this.subscriptions.delete(subscription)) this.changed();
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** The subscribers that take this exchange whole (filter, rate and queue room), or undefined for none. */
  admit(facts: ExchangeFacts, now: number): Subscription[] | undefined {
    let taken: Subscription[] | undefined;
    for (const subscription of this.subscriptions) {
      if (!matches(subscription.filter, facts) || !subscription.admit(now)) continue;
      taken ??= [];
      taken.push(subscription);
    }
    return taken;
  }

  /** Unique per request for the life of this proxy; the tap service adds the pod to make it unique mesh-wide. */
  nextId(): string {
    this.lastId += 1;
    return String(this.lastId);
  }

  /** Refuses new subscribers and forgets current ones; the server ends their streams. */
  close(): void {
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions.clear();
    this.changed();
  }

  private changed(): void {
    this.active = this.subscriptions.size > 0;
    this.metrics?.subscriptions.set(this.subscriptions.size);
  }
}

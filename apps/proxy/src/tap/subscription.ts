import { RateWindow } from '@meshviz/mesh-types';
import type { WireTapEvent } from './events.js';
import type { TapFilter } from './match.js';

/** The part of grpc's server stream a subscription writes to; an interface so tests can stand in a slow reader. */
export interface EventSink {
  /** false: the stream's buffer is full, wait for 'drain' (Node's Writable contract). */
  write(event: WireTapEvent): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export const DEFAULT_QUEUE_LIMIT = 1000;
/** request_init, response_init, response_end. */
export const EVENTS_PER_REQUEST = 3;

/**
 * One Observe stream. Requests are admitted whole: the rate window and the queue are checked once, when the
 * request is matched, and room for all three of its events is reserved then, so a subscriber never sees half a
 * request. While grpc reports backpressure events wait in a queue bounded by `queueLimit`; a request that would
 * not fit is dropped and counted, and the count is sent as a Drops event once the queue has drained.
 */
export class Subscription {
  private readonly rate: RateWindow;
  private readonly queue: WireTapEvent[] = [];
  /** Events of admitted requests not sent yet; they already own a place in the queue's bound. */
  private reserved = 0;
  private blocked = false;
  private dropped = 0;
  private closed = false;

  constructor(
    readonly filter: TapFilter,
    maxRps: number,
    private readonly sink: EventSink,
    private readonly queueLimit: number,
    private readonly onDrop: (events: number) => void,
  ) {
    this.rate = new RateWindow(maxRps);
  }

  /** Whether this subscriber takes a matching request; takes a place in the rate window and reserves its events if so. */
  admit(now: number): boolean {
    if (this.closed || !this.rate.take(now)) return false;
    if (this.queue.length + this.reserved + EVENTS_PER_REQUEST > this.queueLimit) {
      this.dropped += EVENTS_PER_REQUEST;
      this.onDrop(EVENTS_PER_REQUEST);
      return false;
    }
    this.reserved += EVENTS_PER_REQUEST;
    return true;
  }

  /** Sends one event of an admitted request, using its reservation. */
  send(event: WireTapEvent): void {
    if (this.closed) return;
    this.reserved = Math.max(0, this.reserved - 1);
    this.queue.push(event);
    if (!this.blocked) this.pump();
  }

  /** Queued events, for tests and debugging. */
  get queued(): number {
    return this.queue.length;
  }

  /** Stops sending and lets go of everything queued (the stream is over). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.reserved = 0;
  }

  private pump(): void {
    while (!this.closed && !this.blocked && this.queue.length > 0) this.write(this.queue.shift() as WireTapEvent);
    if (this.closed || this.blocked || this.dropped === 0) return;
    const count = this.dropped;
    this.dropped = 0;
    this.write({ id: '', direction: '', drops: { count } });
  }

  private write(event: WireTapEvent): void {
    if (this.sink.write(event)) return;
    this.blocked = true;
    this.sink.once('drain', this.onDrain);
  }

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.pump();
  };
}

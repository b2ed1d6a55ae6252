import type { TapEvent } from '@meshviz/mesh-types';

/** One tapped request: its parts (request init, response init, response end) as they arrived, under one id. */
export interface TapRequest {
  id: string;
  /** Arrival order on this page, for stable keys. */
  seq: number;
  /** Every part exactly as received, in arrival order (what the detail panel and the export show). */
  parts: TapEvent[];
  init: TapEvent | null;
  response: TapEvent | null;
  end: TapEvent | null;
}

/** Rows for a table: newest first. */
export interface RequestRows {
  readonly size: number;
  /** The i-th newest request (0 is the newest). */
  at(index: number): TapRequest | undefined;
}

/** A frozen copy of the newest rows (pause): later parts and requests do not change it. */
export class RequestSnapshot implements RequestRows {
  constructor(private readonly rows: readonly TapRequest[]) {}
  get size(): number {
    return this.rows.length;
  }
  at(index: number): TapRequest | undefined {
    return this.rows[index];
  }
}

export const DEFAULT_CAPACITY = 10_000;

/**
 * The requests seen, correlated by id, in a ring of fixed capacity: when full, the oldest request leaves to make
 * room (and is counted), so a long tap never grows without bound. Parts of a request no longer held (or never
 * seen: the stream started after its request) are counted as orphans and not kept.
 */
export class RequestLog implements RequestRows {
  private readonly slots: (TapRequest | undefined)[];
  private readonly byId = new Map<string, TapRequest>();
  private first = 0;
  private count = 0;
  private nextSeq = 0;
  /** Requests seen since the start (evicted ones included). */
  total = 0;
  /** Requests that left the ring to make room. */
  evicted = 0;
  /** Parts whose request is not held. */
  orphans = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`RequestLog capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(event: TapEvent): void {
    if (event.requestInit) {
      this.push({ id: event.id, seq: this.nextSeq++, parts: [event], init: event, response: null, end: null });
      return;
    }
    const request = this.byId.get(event.id);
    if (request === undefined) {
      this.orphans++;
      return;
    }
    request.parts.push(event);
    if (event.responseInit) request.response = event;
    if (event.responseEnd) request.end = event;
  }

  addAll(events: readonly TapEvent[]): void {
    for (const event of events) this.add(event);
  }

  at(index: number): TapRequest | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.slots[(this.first + this.count - 1 - index) % this.capacity];
  }

  get(id: string): TapRequest | undefined {
    return this.byId.get(id);
  }

  /** The rows as they are now, copied so that nothing that arrives later changes them. */
  snapshot(): RequestSnapshot {
    const rows: TapRequest[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const request = this.at(i)!;
      rows[i] = { ...request, parts: [...request.parts] };
    }
    return new RequestSnapshot(rows);
  }

  /** Every part held, oldest request first, each request's parts in arrival order. */
  events(): TapEvent[] {
    const events: TapEvent[] = [];
    for (let i = this.count - 1; i >= 0; i--) events.push(...this.at(i)!.parts);
    return events;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.byId.clear();
    this.first = 0;
    this.count = 0;
    this.total = 0;
    this.evicted = 0;
    this.orphans = 0;
  }

  private push(request: TapRequest): void {
    this.total++;
    // A repeated id (a proxy restarted its counter) replaces nothing: the older request just stops collecting parts.
    this.byId.set(request.id, request);
    if (this.count < this.capacity) {
      this.slots[(this.first + this.count) % this.capacity] = request;
      this.count++;
      return;
    }
    const oldest = this.slots[this.first]!;
    if (this.byId.get(oldest.id) === oldest) this.byId.delete(oldest.id);
    this.slots[this.first] = request;
    this.first = (this.first + 1) % this.capacity;
    this.evicted++;
  }
}

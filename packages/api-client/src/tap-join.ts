import type { TapEvent } from '@meshviz/mesh-types';

/** One tapped request whose last part has arrived: its first part, its status (if a response began) and its end. */
export interface JoinedRequest {
  init: TapEvent;
  status: number | null;
  end: TapEvent;
}

/**
 * Puts the parts of tapped requests back together by id (a request's parts may interleave with other requests').
 * For readers that want whole requests only, such as `meshviz tap` and the API's top table.
 */
export class TapJoin {
  private readonly open = new Map<string, { init: TapEvent; status: number | null }>();

  /** Takes one part; gives the whole request on its last part, null before (and for an end whose start was not seen). */
  add(event: TapEvent): JoinedRequest | null {
    if (event.requestInit) {
      this.open.set(event.id, { init: event, status: null });
      return null;
    }
    const entry = this.open.get(event.id);
    if (event.responseInit) {
      if (entry) entry.status = event.responseInit.status;
      return null;
    }
    this.open.delete(event.id);
    return entry ? { init: entry.init, status: entry.status, end: event } : null;
  }

  /** Requests begun and not yet ended. */
  get pending(): number {
    return this.open.size;
  }
}

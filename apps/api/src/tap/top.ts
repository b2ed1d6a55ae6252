import { GRPC_FAILURE_STATUSES, type TapEvent, type TopRow, type TopSnapshot } from '@meshviz/mesh-types';

/**
 * A peer as top groups it: its workload when the proxy knows it, else its address without the port, so the
 * connections of one client (each from its own ephemeral port) count as one source.
 */
export function peerName(p: TapEvent['source']): string {
  if (p.deployment) return `${p.namespace}/${p.deployment}`;
  return p.addr.replace(/:\d+$/, '') || 'unknown';
}

/** Aggregates finished requests by (source, destination, method, path): what `meshviz top` and the Top page show. */
export class TopTable {
  private readonly rows = new Map<string, TopRow & { ok: number; done: number }>();
  private events = 0;
  private drops = 0;

  /** Feed a response_end together with its request_init (correlated by the session). */
  add(end: TapEvent, init: TapEvent, status: number | null): void {
    this.events++;
    const req = init.requestInit;
    if (!req || !end.responseEnd) return;
    const key = [peerName(init.source), peerName(init.destination), req.method, req.path].join('\u0000');
    let row = this.rows.get(key);
    if (!row) {
      row = {
        source: peerName(init.source),
        destination: peerName(init.destination),
        method: req.method,
        path: req.path,
        count: 0,
        successRate: null,
        bestMs: null,
        worstMs: null,
        lastMs: null,
        ok: 0,
        done: 0,
      };
      this.rows.set(key, row);
    }
    const ms = end.responseEnd.sinceRequestInitMs;
    const failed =
      end.responseEnd.reset !== '' ||
      (status !== null && status >= 500) ||
      GRPC_FAILURE_STATUSES.includes(end.responseEnd.grpcStatus ?? -1);
    row.count++;
    row.done++;
    if (!failed) row.ok++;
    row.successRate = row.ok / row.done;
    row.bestMs = row.bestMs === null ? ms : Math.min(row.bestMs, ms);
    row.worstMs = row.worstMs === null ? ms : Math.max(row.worstMs, ms);
    row.lastMs = ms;
  }

  addDrops(n: number): void {
    this.drops += n;
  }

  /** Busiest first, at most `limit` rows. */
  snapshot(limit = 100): TopSnapshot {
    const rows = [...this.rows.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, limit)
      .map(({ ok: _ok, done: _done, ...row }) => row);
    return { rows, events: this.events, drops: this.drops };
  }
}

import type { Socket } from 'node:net';
import { type Direction, LABEL, type Peer, TCP_LABEL } from '@meshviz/mesh-types';
import type { Destination } from '../core/stage.js';
import { addTlsLabels, type TlsStatus } from '../core/tls-status.js';
import { Children, type Labels, SweptEntries } from './children.js';
import { addDestinationLabels } from './destination-labels.js';
import type { LightCounter, LightGauge, LightHistogram } from './light-metrics.js';

/**
 * Labels: direction, peer, tls, no_tls_reason, and for upstream connections target_addr and dst_* when
 * discovery knows them; tcp_close_total adds errno (when it failed) and classification.
 */
export interface TcpFamilies {
  readonly opens: LightCounter;
  readonly closes: LightCounter;
  readonly open: LightGauge;
  readonly read: LightCounter;
  readonly written: LightCounter;
  readonly duration: LightHistogram;
}

interface Conn {
  readonly socket: Socket;
  readonly openedAt: number;
  /** Bytes already added to the counters. */
  read: number;
  written: number;
  errno: string | undefined;
}

/**
 * The tcp_* families for every connection the proxy accepts (peer="src") or opens (peer="dst"), HTTP ones
 * included. Byte counters are brought up to date at each scrape for connections still open, so a long-lived
 * connection (a WebSocket, a gRPC stream, a database session) shows its traffic while it lasts.
 */
export class TcpSeries {
  private readonly entries: SweptEntries<TcpEntry>;

  constructor(
    private readonly families: TcpFamilies,
    idleTimeoutMs: number,
  ) {
    this.entries = new SweptEntries(idleTimeoutMs);
  }

  /** Counts an open connection now and its close later. */
  track(socket: Socket, direction: Direction, peer: Peer, tls: TlsStatus, destination?: Destination): void {
    const key = `${direction}\u0000${peer}\u0000${destination?.key ?? ''}\u0000${tls.key}`;
    this.entries
      .get(key, () => new TcpEntry(this.families, tcpLabels(direction, peer, tls, destination)))
      .open(socket);
  }

  /** For a socket still connecting: tracked once it connects; a failed connect is the HTTP stages' to count. */
  trackOnConnect(socket: Socket, direction: Direction, tls: TlsStatus, destination?: Destination): void {
    if (!socket.connecting) this.track(socket, direction, 'dst', tls, destination);
    else socket.once('connect', () => this.track(socket, direction, 'dst', tls, destination));
  }

  /** Adds the bytes moved by open connections since the last call (prom-client calls it before each scrape). */
  collect(): void {
    for (const entry of this.entries.values()) entry.collect();
  }

  sweep(now: number): void {
    this.entries.sweep(now);
  }

  close(): void {
    this.entries.close();
  }
}

class TcpEntry {
  private readonly conns = new Set<Conn>();
  private readonly closes: Children<{ inc(value?: number): void }>;
  private lastUsed = performance.now();

  constructor(
    private readonly families: TcpFamilies,
    private readonly labels: Labels,
  ) {
    this.closes = new Children(families.closes);
  }

  open(socket: Socket): void {
    const conn: Conn = { socket, openedAt: performance.now(), read: 0, written: 0, errno: undefined };
    this.conns.add(conn);
    this.lastUsed = conn.openedAt;
    this.families.opens.inc(this.labels);
    this.families.open.inc(this.labels);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      conn.errno ??= error.code ?? (error as { kind?: string }).kind ?? 'EUNKNOWN';
    });
    socket.once('close', () => this.closed(conn));
  }

  collect(): void {
    for (const conn of this.conns) this.addBytes(conn);
  }

  sweep(cutoff: number): boolean {
    this.closes.sweep(cutoff);
    if (this.conns.size > 0 || this.lastUsed >= cutoff) return false;
    const f = this.families;
    for (const family of [f.opens, f.open, f.read, f.written, f.duration]) family.remove(this.labels);
    return true;
  }

  private closed(conn: Conn): void {
    this.addBytes(conn);
    this.conns.delete(conn);
    const now = performance.now();
    this.lastUsed = now;
    this.families.open.dec(this.labels);
    this.families.duration.observe(this.labels, now - conn.openedAt);
    const { errno } = conn;
    this.closes
      .get(errno ?? '', () => {
        const labels: Labels = { ...this.labels, [LABEL.classification]: errno ? 'failure' : 'success' };
        if (errno) labels[TCP_LABEL.errno] = errno;
        return labels;
      })
      .inc();
  }

  private addBytes(conn: Conn): void {
    const { bytesRead, bytesWritten } = conn.socket;
    if (bytesRead > conn.read) this.families.read.inc(this.labels, bytesRead - conn.read);
    if (bytesWritten > conn.written) this.families.written.inc(this.labels, bytesWritten - conn.written);
    conn.read = bytesRead;
    conn.written = bytesWritten;
  }
}

function tcpLabels(direction: Direction, peer: Peer, tls: TlsStatus, destination: Destination | undefined): Labels {
  const labels: Labels = { [LABEL.direction]: direction, [LABEL.peer]: peer };
  addTlsLabels(labels, direction, tls);
  return destination === undefined ? labels : addDestinationLabels(labels, destination);
}

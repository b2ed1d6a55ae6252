import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An object as the API serves it: metadata with at least a name; the stand-in sets resourceVersion and uid. */
export interface StandInObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [field: string]: unknown };
  [field: string]: unknown;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Collection {
  /** `PodList`, from the kind of the first object put in (lists name their kind). */
  listKind: string;
  listApiVersion: string;
  objects: Map<string, StandInObject>;
  /** Every change, oldest first; `compact` forgets those at or below `compactedAt`. */
  log: { rv: number; type: EventType; object: StandInObject }[];
  compactedAt: number;
  watches: Set<Watcher>;
}

interface Watcher {
  res: ServerResponse;
  bookmarks: boolean;
  namespace: string | undefined;
}

/** One request as the stand-in saw it, for tests to check what the client asked. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorization: string | undefined;
}

const COLLECTION_PATH = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)$/;

/**
 * A small real HTTP server that speaks the Kubernetes list/watch protocol for the collections it is given — the
 * one thing the control plane's Kubernetes sources are tested against, since there is no API server here.
 *
 * - `GET <collection>` lists: `{ kind: <Kind>List, metadata: { resourceVersion }, items }`; `resourceVersion`
 *   older than the compacted history answers 410 Gone.
 * - `GET <collection>?watch=1|true&resourceVersion=N[&allowWatchBookmarks=true]` streams one JSON event per line
 *   (chunked): every change after N, then each change as it happens; ADDED of everything when N is absent or 0;
 *   BOOKMARK when `bookmark()` is called and the watch asked for them; ERROR with a 410 Status, then the end of the
 *   stream, when N is older than the compacted history (what a real API server does).
 * - `dropWatches()` destroys every open watch's connection mid-stream; `endWatches()` ends them cleanly.
 * - `/api/v1/namespaces/<ns>/<plural>` serves one namespace of a collection; `token` set: any other bearer gets 401.
 *
 * Selectors and pagination are not implemented (the client does not use them).
 */
export class ListWatchStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly collections = new Map<string, Collection>();
  private readonly sockets = new Set<Socket>();
  private rv = 100;
  private uid = 0;
  token: string | undefined;

  private constructor(private readonly server: Server) {}

  static async start(options: { token?: string } = {}): Promise<ListWatchStandIn> {
    let standIn: ListWatchStandIn | undefined;
    const server = createServer((req, res) => standIn!.handle(req, res));
    standIn = new ListWatchStandIn(server);
    standIn.token = options.token;
    server.on('connection', (socket) => {
      standIn!.sockets.add(socket);
      socket.on('close', () => standIn!.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The current resourceVersion (of the last change). */
  resourceVersion(): string {
    return String(this.rv);
  }

  /** Adds an object to a collection (`/api/v1/pods`), or replaces it (MODIFIED) when it is there already. */
  put(collection: string, object: StandInObject): StandInObject {
    const c = this.collection(collection, object);
    const key = objectKey(object);
    const type: EventType = c.objects.has(key) ? 'MODIFIED' : 'ADDED';
    const uid = (c.objects.get(key)?.metadata.uid as string | undefined) ?? `uid-${++this.uid}`;
    const stored = structuredClone(object);
    stored.metadata = { ...stored.metadata, uid, resourceVersion: String(++this.rv) };
    c.objects.set(key, stored);
    this.record(c, type, stored);
    return stored;
  }

  remove(collection: string, name: string, namespace?: string): void {
    const c = this.collections.get(collection);
    const key = `${namespace ?? ''}/${name}`;
    const current = c?.objects.get(key);
    if (!c || !current) throw new Error(`${collection} has no ${key}`);
    c.objects.delete(key);
    const gone = { ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } };
    this.record(c, 'DELETED', gone);
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch of the collection that asked for them. */
  bookmark(collection: string): void {
    const c = this.collections.get(collection);
    for (const w of c?.watches ?? []) {
      if (!w.bookmarks) continue;
      const object = { kind: c!.listKind.replace(/List$/, ''), apiVersion: c!.listApiVersion, metadata: { resourceVersion: String(this.rv) } };
      writeEvent(w.res, 'BOOKMARK', object);
    }
  }

  /** Forgets the history up to now: a watch or list from an older resourceVersion gets 410 Gone. */
  compact(): void {
    for (const c of this.collections.values()) {
      c.log = [];
      c.compactedAt = this.rv;
    }
  }

  /** Destroys every open watch connection mid-stream (a dropped connection, not a clean end). */
  dropWatches(collection?: string): void {
    for (const [path, c] of this.collections) {
      if (collection && path !== collection) continue;
      for (const w of c.watches) w.res.socket?.destroy();
      c.watches.clear();
    }
  }

  /** Ends every open watch cleanly, as the API server does when a watch's timeout is over. */
  endWatches(): void {
    for (const c of this.collections.values()) {
      for (const w of c.watches) w.res.end();
      c.watches.clear();
    }
  }

  /** Open watches of a collection. */
  watchCount(collection: string): number {
    return this.collections.get(collection)?.watches.size ?? 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private collection(path: string, sample?: StandInObject): Collection {
    let c = this.collections.get(path);
    if (!c) {
      c = {
        listKind: `${sample?.kind ?? 'Object'}List`,
        listApiVersion: sample?.apiVersion ?? 'v1',
        objects: new Map(),
        log: [],
        compactedAt: 0,
        watches: new Set(),
      };
      this.collections.set(path, c);
    }
    return c;
  }

  private record(c: Collection, type: EventType, object: StandInObject): void {
    c.log.push({ rv: this.rv, type, object });
    for (const w of c.watches) {
      if (w.namespace === undefined || w.namespace === object.metadata.namespace) writeEvent(w.res, type, object);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, authorization: req.headers.authorization });
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const m = COLLECTION_PATH.exec(url.pathname);
    if (req.method !== 'GET' || !m) {
      status(res, 404, 'NotFound', `the stand-in serves no ${req.method} ${url.pathname}`);
      return;
    }
    const namespace = m[1];
    const path = namespace ? url.pathname.replace(`/namespaces/${namespace}`, '') : url.pathname;
    const c = this.collection(path);
    const since = query.resourceVersion ? Number(query.resourceVersion) : 0;
    const watching = query.watch === '1' || query.watch === 'true';
    if (!watching) {
      if (since > 0 && since < c.compactedAt) {
        status(res, 410, 'Expired', `too old resource version: ${since} (${c.compactedAt})`);
        return;
      }
      const items = [...c.objects.values()].filter((o) => !namespace || o.metadata.namespace === namespace);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: c.listKind, apiVersion: c.listApiVersion, metadata: { resourceVersion: String(this.rv) }, items }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (since > 0 && since < c.compactedAt) {
      const expired = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${since} (${c.compactedAt})` };
      writeEvent(res, 'ERROR', expired);
      res.end();
      return;
    }
    const inNamespace = (o: StandInObject) => !namespace || o.metadata.namespace === namespace;
    if (since === 0) {
      for (const o of c.objects.values()) if (inNamespace(o)) writeEvent(res, 'ADDED', o);
    } else {
      for (const e of c.log) if (e.rv > since && inNamespace(e.object)) writeEvent(res, e.type, e.object);
    }
    const watcher: Watcher = { res, bookmarks: query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1', namespace };
    c.watches.add(watcher);
    res.on('close', () => c.watches.delete(watcher));
  }
}

function objectKey(object: StandInObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function writeEvent(res: ServerResponse, type: string, object: unknown): void {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message }));
}

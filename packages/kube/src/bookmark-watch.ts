import { Watch } from '@kubernetes/client-node';

/**
 * The library's watch, asking for bookmarks: its ListWatch does not request them, and without them a quiet
 * collection's resourceVersion grows stale, so a reconnect after a long quiet spell meets 410 Gone and relists
 * everything. With them the server moves the resourceVersion forward now and then (ListWatch records it).
 */
export class BookmarkWatch extends Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(path, { ...queryParams, allowWatchBookmarks: true }, callback, done);
  }
}

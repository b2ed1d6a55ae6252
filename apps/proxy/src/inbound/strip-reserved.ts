import type { ProxyRequest, Stage } from '../core/stage.js';

/**
 * Header names the mesh reserves for itself: `x-meshviz-*` (the proxy's own markers) and `l5d-*` (the names
 * Linkerd-style meshes use for identity and routing hints). meshviz proxies set none of them on requests, so a
 * request arriving with one carries a forgery (e.g. a client identity); it is removed before the app sees it, and
 * nothing in the proxy ever reads it. Observe and tap, which sit before this stage, still show what arrived.
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-meshviz-') || lower.startsWith('l5d-');
}

/** Inbound stage: the request goes on without reserved headers (the list is copied only when there is one). */
export function stripReserved<T>(next: Stage<T>): Stage<T> {
  return (target, request) => {
    const { headers } = request;
    let found = false;
    for (let i = 0; i < headers.length; i += 2) {
      if (isReservedHeader(headers[i] ?? '')) {
        found = true;
        break;
      }
    }
    if (!found) return next(target, request);
    const kept: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] ?? '';
      if (!isReservedHeader(name)) kept.push(name, headers[i + 1] ?? '');
    }
    const stripped: ProxyRequest = { ...request, headers: kept };
    return next(target, stripped);
  };
}

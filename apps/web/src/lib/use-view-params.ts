'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { hrefWith, parseViewParams, type ViewParams } from './view-params';

type Updates = Readonly<Record<string, string | null | undefined>>;

export interface ViewState {
  view: ViewParams;
  /** The page's whole query string, for page-specific parameters and for links. */
  params: URLSearchParams;
  /** Changes parameters; `replace` keeps the change out of the history (typing, not navigating). */
  setParams(updates: Updates, options?: { replace?: boolean }): void;
}

/**
 * Changes the page's query string through the browser's history, which the Next.js router follows (useSearchParams
 * re-renders). The change builds on window.location, the URL as it is at the call: two changes in quick succession
 * (a selection, then a debounced text field) both land, where a router navigation still in flight would be
 * overwritten by the second. The pages read their state on the client, so no server round trip is needed either.
 * (The state argument must be null: the router ignores a call that carries its own history state.)
 */
function setParams(updates: Updates, options?: { replace?: boolean }): void {
  const href = hrefWith(window.location.pathname, window.location.search, updates);
  if (options?.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
}

/** The URL is the single source of view state, so a view can be shared, reloaded and navigated back to. */
export function useViewParams(): ViewState {
  const searchParams = useSearchParams();
  const query = searchParams.toString();
  const params = useMemo(() => new URLSearchParams(query), [query]);
  const view = useMemo(() => parseViewParams(params), [params]);
  return { view, params, setParams };
}

/**
 * A text parameter edited in an input: the input answers at once, the URL follows after a pause in typing.
 * Returns the text shown and a setter.
 */
export function useUrlText(key: string, delayMs = 250): [string, (text: string) => void] {
  const { params, setParams } = useViewParams();
  const fromUrl = params.get(key) ?? '';
  const [text, setText] = useState(fromUrl);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Back/forward or a link changed the URL: show what it says.
  useEffect(() => {
    if (pending.current === undefined) setText(fromUrl);
  }, [fromUrl]);
  useEffect(() => () => clearTimeout(pending.current), []);
  const update = useCallback(
    (next: string) => {
      setText(next);
      clearTimeout(pending.current);
      pending.current = setTimeout(() => {
        pending.current = undefined;
        setParams({ [key]: next.trim() === '' ? null : next }, { replace: true });
      }, delayMs);
    },
    [key, delayMs, setParams],
  );
  return [text, update];
}

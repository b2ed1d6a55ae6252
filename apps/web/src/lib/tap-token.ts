/**
 * The tap token: what the API wants before it streams live requests (its API_TAP_TOKEN). `meshviz up` prints a
 * link `<dashboard>/tap#tap-token=<token>`; the page keeps the token in sessionStorage (this tab only, gone when it
 * closes) and takes it out of the address at once, so it never lands in bookmarks, history or shared links. The
 * fragment never reaches any server.
 */

export const TAP_TOKEN_STORAGE_KEY = 'meshviz-tap-token';
export const TAP_TOKEN_HASH_KEY = 'tap-token';
/** Fired on window when this tab's token changes (sessionStorage has no same-tab change event). */
export const TAP_TOKEN_EVENT = 'meshviz-tap-token';

export interface TokenWindow {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  sessionStorage: { setItem(key: string, value: string): void };
}

/**
 * Moves a `tap-token=` from the address's fragment into sessionStorage and rewrites the address without it (other
 * fragment parts stay). Returns the token, or null when the fragment has none.
 *
 * Self-contained on purpose (no imports, no outer names): its source also runs as an inline script before the
 * page's own code (TAP_TOKEN_SCRIPT), so the token is gone before anything reads the address.
 */
export function captureTapToken(win: TokenWindow, storageKey: string, hashKey: string): string | null {
  const hash = win.location.hash.replace(/^#/, '');
  if (hash === '') return null;
  const rest: string[] = [];
  let token: string | null = null;
  for (const part of hash.split('&')) {
    if (part.startsWith(`${hashKey}=`)) {
      const raw = part.slice(hashKey.length + 1);
      try {
        token = decodeURIComponent(raw).trim();
      } catch {
        token = raw.trim();
      }
    } else if (part !== '') {
      rest.push(part);
    }
  }
  if (token === null) return null;
  const address = win.location.pathname + win.location.search + (rest.length > 0 ? `#${rest.join('&')}` : '');
  // Null state: the router keeps its own state and learns the new address (Next.js wraps replaceState).
  win.history.replaceState(null, '', address);
  if (token === '') return null;
  try {
    win.sessionStorage.setItem(storageKey, token);
  } catch {
    // Storage refused (privacy settings): the token was still removed from the address; the form asks for it.
    return null;
  }
  return token;
}

/** The inline <head> script: the same function, run before React or any other script sees the address. */
export const TAP_TOKEN_SCRIPT = `(function(){try{(${captureTapToken.toString()})(window,${JSON.stringify(TAP_TOKEN_STORAGE_KEY)},${JSON.stringify(TAP_TOKEN_HASH_KEY)})}catch(e){}})();`;

/** A token kept in memory only, when sessionStorage is refused. */
let memoryToken: string | null = null;

/** This tab's stored token, or null. */
export function readTapToken(): string | null {
  try {
    return window.sessionStorage.getItem(TAP_TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

function announce(): void {
  window.dispatchEvent(new Event(TAP_TOKEN_EVENT));
}

/** Keeps a token the user pasted. Returns false when the browser refuses storage (it then lasts until reload). */
export function storeTapToken(token: string): boolean {
  let stored = true;
  try {
    window.sessionStorage.setItem(TAP_TOKEN_STORAGE_KEY, token);
  } catch {
    stored = false;
  }
  memoryToken = stored ? null : token;
  announce();
  return stored;
}

/** Forgets the token (the API refused it, or the user asked). */
export function clearTapToken(): void {
  try {
    window.sessionStorage.removeItem(TAP_TOKEN_STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to remove.
  }
  memoryToken = null;
  announce();
}

/** The token for requests: stored, or held in memory when storage is refused. */
export function currentTapToken(): string | null {
  return readTapToken() ?? memoryToken;
}

/** Looks at the address again (a pasted link in an open tab only changes the fragment) and announces a new token. */
export function captureFromAddress(): string | null {
  const token = captureTapToken(window, TAP_TOKEN_STORAGE_KEY, TAP_TOKEN_HASH_KEY);
  if (token !== null) announce();
  return token;
}

/** For useSyncExternalStore: the token changed in this tab. */
export function subscribeTapToken(onChange: () => void): () => void {
  window.addEventListener(TAP_TOKEN_EVENT, onChange);
  return () => window.removeEventListener(TAP_TOKEN_EVENT, onChange);
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  captureFromAddress,
  captureTapToken,
  clearTapToken,
  currentTapToken,
  readTapToken,
  storeTapToken,
  subscribeTapToken,
  TAP_TOKEN_HASH_KEY,
  TAP_TOKEN_SCRIPT,
  TAP_TOKEN_STORAGE_KEY,
} from './tap-token';

/** A window with an address, a history that records replaceState, and a Map-backed sessionStorage. */
function fakeWindow(href: string, options: { refuseStorage?: boolean } = {}) {
  const url = new URL(href);
  const stored = new Map<string, string>();
  const replaced: string[] = [];
  const target = new EventTarget();
  const win = {
    location: {
      get hash() {
        return url.hash;
      },
      get pathname() {
        return url.pathname;
      },
      get search() {
        return url.search;
      },
    },
    history: {
      replaceState(_data: unknown, _unused: string, next?: string | URL | null) {
        replaced.push(String(next));
        const moved = new URL(String(next), url);
        url.hash = moved.hash;
        url.search = moved.search;
      },
    },
    sessionStorage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem(key: string, value: string) {
        if (options.refuseStorage) throw new Error('SecurityError');
        stored.set(key, value);
      },
      removeItem: (key: string) => void stored.delete(key),
    },
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    dispatchEvent: target.dispatchEvent.bind(target),
  };
  return { win, stored, replaced, address: () => url.pathname + url.search + url.hash };
}

const capture = (win: Parameters<typeof captureTapToken>[0]) => captureTapToken(win, TAP_TOKEN_STORAGE_KEY, TAP_TOKEN_HASH_KEY);

describe('captureTapToken', () => {
  it('stores the token from the link meshviz up prints and removes it from the address', () => {
    const w = fakeWindow('http://127.0.0.1:8084/tap?namespace=bookshop#tap-token=JUoIBTqS-X6_epzU');
    expect(capture(w.win)).toBe('JUoIBTqS-X6_epzU');
    expect(w.stored.get(TAP_TOKEN_STORAGE_KEY)).toBe('JUoIBTqS-X6_epzU');
    expect(w.replaced).toEqual(['/tap?namespace=bookshop']);
    expect(w.address()).not.toContain('JUoIBTqS');
  });

  it('keeps the other parts of the fragment and decodes the value', () => {
    const w = fakeWindow('http://h/top#a=1&tap-token=ab%2Bcd%3D&b');
    expect(capture(w.win)).toBe('ab+cd=');
    expect(w.replaced).toEqual(['/top#a=1&b']);
  });

  it('leaves an address without a token alone', () => {
    for (const href of ['http://h/tap', 'http://h/tap#', 'http://h/tap#section', 'http://h/tap#not-tap-token=x']) {
      const w = fakeWindow(href);
      expect(capture(w.win), href).toBeNull();
      expect(w.replaced, href).toEqual([]);
      expect(w.stored.size, href).toBe(0);
    }
  });

  it('removes an empty token from the address without storing it', () => {
    const w = fakeWindow('http://h/tap#tap-token=');
    expect(capture(w.win)).toBeNull();
    expect(w.replaced).toEqual(['/tap']);
    expect(w.stored.size).toBe(0);
  });

  it('still removes the token from the address when storage is refused', () => {
    const w = fakeWindow('http://h/tap#tap-token=secret', { refuseStorage: true });
    expect(capture(w.win)).toBeNull();
    expect(w.address()).toBe('/tap');
  });
});

describe('TAP_TOKEN_SCRIPT', () => {
  it('does the same as an inline script, with nothing but window', () => {
    const w = fakeWindow('http://h/tap?namespace=shop#tap-token=from-script');
    new Function('window', TAP_TOKEN_SCRIPT)(w.win);
    expect(w.stored.get(TAP_TOKEN_STORAGE_KEY)).toBe('from-script');
    expect(w.address()).toBe('/tap?namespace=shop');
  });

  it('never throws, whatever the page is like', () => {
    expect(() => new Function('window', TAP_TOKEN_SCRIPT)({})).not.toThrow();
  });
});

describe('the tab’s token', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is read, replaced and cleared, announcing each change to subscribers', () => {
    const w = fakeWindow('http://h/tap#tap-token=first');
    vi.stubGlobal('window', w.win);
    const changes = vi.fn();
    const unsubscribe = subscribeTapToken(changes);
    expect(captureFromAddress()).toBe('first');
    expect(readTapToken()).toBe('first');
    expect(storeTapToken('second')).toBe(true);
    expect(currentTapToken()).toBe('second');
    clearTapToken();
    expect(currentTapToken()).toBeNull();
    expect(changes).toHaveBeenCalledTimes(3);
    unsubscribe();
    storeTapToken('third');
    expect(changes).toHaveBeenCalledTimes(3);
  });

  it('is held in memory when storage is refused', () => {
    const w = fakeWindow('http://h/tap', { refuseStorage: true });
    vi.stubGlobal('window', w.win);
    expect(storeTapToken('pasted')).toBe(false);
    expect(currentTapToken()).toBe('pasted');
    clearTapToken();
    expect(currentTapToken()).toBeNull();
  });
});

'use client';

import { useEffect, useSyncExternalStore } from 'react';
import { applyTheme, storedTheme, systemTheme, THEME_ATTRIBUTE, type Theme } from './theme';

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: [THEME_ATTRIBUTE] });
  return () => observer.disconnect();
}

function snapshot(): Theme {
  return document.documentElement.getAttribute(THEME_ATTRIBUTE) === 'dark' ? 'dark' : 'light';
}

/** The theme on screen, for what CSS cannot colour (canvas graphs, chart strokes). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, snapshot, () => 'light');
}

/** Follows the system's light/dark switch while the user has not chosen a theme themselves. */
export function useFollowSystemTheme(): void {
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => {
      if (storedTheme() === null) applyTheme(systemTheme());
    };
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
}

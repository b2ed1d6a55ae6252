'use client';

import { useSyncExternalStore } from 'react';
import { currentTapToken, subscribeTapToken } from './tap-token';

/** This tab's tap token (null when none is known); follows pasted links, the token form and refusals. */
export function useTapToken(): string | null {
  return useSyncExternalStore(subscribeTapToken, currentTapToken, () => null);
}

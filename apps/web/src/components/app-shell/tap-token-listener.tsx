'use client';

import { useEffect } from 'react';
import { captureFromAddress } from '../../lib/tap-token';

/**
 * A link with `#tap-token=` opened in a tab that already shows the dashboard changes only the fragment (no page
 * load, so the inline script does not run again): take the token from there too.
 */
export function TapTokenListener() {
  useEffect(() => {
    const capture = () => {
      captureFromAddress();
    };
    capture();
    window.addEventListener('hashchange', capture);
    return () => window.removeEventListener('hashchange', capture);
  }, []);
  return null;
}

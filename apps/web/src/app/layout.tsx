import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '../components/app-shell/app-header';
import { AppMain } from '../components/app-shell/app-main';
import { TapTokenListener } from '../components/app-shell/tap-token-listener';
import { THEME_SCRIPT } from '../components/theme/theme';
import { TAP_TOKEN_SCRIPT } from '../lib/tap-token';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'meshviz', template: '%s · meshviz' },
  description: 'Golden metrics, topology, routes and live requests of the workloads in your service mesh.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets data-theme on <html> before React hydrates; that difference is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no user input */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        {/* Takes a tap token out of the address before anything else reads it (see lib/tap-token.ts). */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no user input */}
        <script dangerouslySetInnerHTML={{ __html: TAP_TOKEN_SCRIPT }} />
      </head>
      <body>
        <Providers>
          <TapTokenListener />
          <AppHeader />
          <AppMain>{children}</AppMain>
        </Providers>
      </body>
    </html>
  );
}

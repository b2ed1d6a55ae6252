import Link from 'next/link';
import { Suspense } from 'react';
import { TestIds } from '../../testids';
import { ThemeToggle } from '../theme/theme-toggle';
import styles from './app-shell.module.css';
import { NavLinks, NavLinksFallback } from './nav-links';
import { TimeControls } from './time-controls';

export function AppHeader() {
  return (
    <header className={styles.header} data-testid={TestIds.appHeader}>
      <Link href="/" className={styles.brand}>
        <svg className={styles.mark} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M5 6 L12 18 L19 6 Z" />
          <circle cx="5" cy="6" r="2.6" />
          <circle cx="19" cy="6" r="2.6" />
          <circle cx="12" cy="18" r="2.6" />
        </svg>
        meshviz
      </Link>
      <nav aria-label="Main" className={styles.nav}>
        <Suspense fallback={<NavLinksFallback />}>
          <NavLinks />
        </Suspense>
      </nav>
      <div className={styles.tools}>
        <Suspense fallback={null}>
          <TimeControls />
        </Suspense>
        <ThemeToggle />
      </div>
    </header>
  );
}

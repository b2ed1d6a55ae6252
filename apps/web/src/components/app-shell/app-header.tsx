'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { TestIds } from '../../testids';
import styles from './app-shell.module.css';

const NAV = [{ href: '/workloads', label: 'Workloads', testId: TestIds.navWorkloads }] as const;

export function AppHeader() {
  const pathname = usePathname();
  return (
    <header className={styles.header} data-testid={TestIds.appHeader}>
      <Link href="/workloads" className={styles.brand}>
        <svg className={styles.mark} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M5 6 L12 18 L19 6 Z" />
          <circle cx="5" cy="6" r="2.6" />
          <circle cx="19" cy="6" r="2.6" />
          <circle cx="12" cy="18" r="2.6" />
        </svg>
        meshviz
      </Link>
      <nav aria-label="Main" className={styles.nav}>
        {NAV.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <Link
              key={item.href}
              href={item.href}
              className={styles.navLink}
              aria-current={active ? 'page' : undefined}
              data-testid={item.testId}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
    </header>
  );
}

'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { globalParams, hrefWith } from '../../lib/view-params';
import { TestIds } from '../../testids';
import styles from './app-shell.module.css';

const NAV = [
  { href: '/', label: 'Overview', testId: TestIds.navOverview },
  { href: '/workloads', label: 'Workloads', testId: TestIds.navWorkloads },
  { href: '/topology', label: 'Topology', testId: TestIds.navTopology },
  { href: '/routes', label: 'Routes', testId: TestIds.navRoutes },
  { href: '/tap', label: 'Tap', testId: TestIds.navTap },
  { href: '/top', label: 'Top', testId: TestIds.navTop },
  { href: '/rollouts', label: 'Rollouts', testId: TestIds.navRollouts },
  { href: '/check', label: 'Check', testId: TestIds.navCheck },
] as const;

/**
 * Which nav item a path belongs to: workload detail pages live under Workloads, service detail pages under
 * Topology (services appear nowhere else, and their breadcrumb starts there).
 */
export function activeNavHref(pathname: string): string | null {
  if (pathname === '/') return '/';
  if (/^\/namespaces\/[^/]+\/services\//.test(pathname)) return '/topology';
  if (pathname.startsWith('/namespaces/')) return '/workloads';
  const item = NAV.find((entry) => entry.href !== '/' && (pathname === entry.href || pathname.startsWith(`${entry.href}/`)));
  return item?.href ?? null;
}

function Links({ query }: { query: string }) {
  const active = activeNavHref(usePathname());
  // The links carry the shared view state (window, time range, refresh) from page to page.
  const shared = globalParams(query);
  return (
    <>
      {NAV.map((item) => (
        <Link
          key={item.href}
          href={hrefWith(item.href, shared, {})}
          className={styles.navLink}
          aria-current={active === item.href ? 'page' : undefined}
          data-testid={item.testId}
        >
          {item.label}
        </Link>
      ))}
    </>
  );
}

export function NavLinks() {
  return <Links query={useSearchParams().toString()} />;
}

/** The same links before the URL's parameters are known (prerendered shell). */
export function NavLinksFallback() {
  return <Links query="" />;
}

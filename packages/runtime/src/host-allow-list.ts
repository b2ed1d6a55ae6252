import { z } from 'zod';

/**
 * The Host allow-list shared by the API and the dashboard. A server that answers any Host can be read by a hostile
 * page through DNS rebinding: the page's own name is pointed at 127.0.0.1 (or a cluster address), so the browser
 * treats meshviz's answers as same-origin to the attacker. The browser still sends the attacker's name as Host, so
 * refusing names that are not meshviz's closes that door.
 */

/** Loopback as a Host header spells it: the name, the IPv4 address and the bracketed IPv6 address. */
const LOOPBACK = ['localhost', '127\\.0\\.0\\.1', '\\[::1\\]'];

/**
 * An anchored pattern (source text) that matches loopback and each of `names`, with or without a port. `names` are
 * regular-expression alternatives, e.g. `web\\.meshviz-viz\\.svc(\\.cluster\\.local)?`.
 */
export function hostAllowListPattern(names: readonly string[]): string {
  return `^(${[...LOOPBACK, ...names].join('|')})(:\\d+)?$`;
}

/** Whether a request's Host header may be served. A missing Host is tested as "", which the defaults refuse. */
export function isHostAllowed(host: string | null | undefined, allowed: RegExp): boolean {
  return allowed.test(host ?? '');
}

/** Why a Host was refused, for the person who reached meshviz under that name: what to set to allow it. */
export function hostRefusalMessage(host: string | null | undefined, variable: string): string {
  return (
    `the Host header "${(host ?? '').slice(0, 100)}" is not allowed; this protects against DNS rebinding. ` +
    `Add it to ${variable} (a regular expression) if this is how you reach meshviz`
  );
}

/** An environment variable holding a Host allow-list: any valid regular expression, checked at start. */
export const hostAllowListVariable = z.string().refine((value) => {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

/**
 * The Host header is client input that ends up in a metric label and, outbound, decides where a request goes.
 * Only well-formed authorities are used; anything else becomes "" (label) or an invalid_authority error (routing).
 */
const AUTHORITY = /^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)(?::(\d{1,5}))?$/;
const MAX_AUTHORITY_LENGTH = 260;

export interface Authority {
  /** Lower-case host without port or trailing dot; IPv6 without brackets. */
  readonly host: string;
  readonly port: number | undefined;
}

/** The Host header as a label value: lower-cased when well formed, "" otherwise. */
export function authorityLabel(hostHeader: string | undefined): string {
  if (!hostHeader || hostHeader.length > MAX_AUTHORITY_LENGTH) return '';
  const lower = hostHeader.toLowerCase();
  return AUTHORITY.test(lower) ? lower : '';
}

export function parseAuthority(authority: string): Authority | null {
  const match = AUTHORITY.exec(authority.toLowerCase());
  if (!match) return null;
  const [, rawHost = '', rawPort] = match;
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost.replace(/\.$/, '');
  return { host, port };
}

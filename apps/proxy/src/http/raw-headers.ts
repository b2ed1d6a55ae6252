/** Node exposes headers as flat lists (name, value, name, value…); these keep that form intact (case, order, duplicates). */

export function hasHeader(raw: readonly string[], lowerName: string): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === lowerName) return true;
  }
  return false;
}

/** Flat list to [name, value] tuples, the form addTrailers() takes. */
export function toPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
}

import { ALWAYS_REDACTED_HEADERS, REDACTED_VALUE } from '@meshviz/mesh-types';
import type { WireHeader } from './events.js';

export type HeaderRedactor = (raw: readonly string[]) => WireHeader[];

/**
 * Turns Node's flat header list into tap headers, replacing the value of every sensitive header before it can
 * leave the proxy. Names are lower-cased so a redaction can never be dodged by spelling (`Cookie` vs `cookie`),
 * and so events read the same whatever protocol carried the request.
 */
export function headerRedactor(extra: readonly string[] = []): HeaderRedactor {
  const redacted = new Set<string>([...ALWAYS_REDACTED_HEADERS, ...extra.map((name) => name.trim().toLowerCase())]);
  return (raw) => {
    const out: WireHeader[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] ?? '').toLowerCase();
      out.push({ name, value: redacted.has(name) ? REDACTED_VALUE : (raw[i + 1] ?? '') });
    }
    return out;
  };
}

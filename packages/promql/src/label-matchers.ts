/**
 * Label matchers for PromQL selectors. Values are escaped so that no input can change the structure of a query;
 * matchers are sorted by label name so the same selector always prints the same string.
 */
export type Matcher =
  | { label: string; op: '='; value: string }
  | { label: string; op: '!='; value: string }
  | { label: string; op: '=~'; value: string }
  | { label: string; op: '!~'; value: string };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Escapes a string for a double-quoted PromQL string literal. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return '\\t';
    }
  });
}

/** Escapes a literal so it matches itself inside a regex matcher (RE2 syntax). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function eq(label: string, value: string): Matcher {
  return { label, op: '=', value };
}

export function neq(label: string, value: string): Matcher {
  return { label, op: '!=', value };
}

/** Matches any of the literal values (none → matches nothing). */
export function oneOf(label: string, values: readonly string[]): Matcher {
  return { label, op: '=~', value: values.map(escapeRegex).join('|') };
}

export function selector(metric: string, matchers: readonly Matcher[]): string {
  for (const m of matchers) {
    if (!LABEL_NAME.test(m.label)) throw new Error(`invalid label name ${JSON.stringify(m.label)}`);
  }
  const sorted = [...matchers].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const body = sorted.map((m) => `${m.label}${m.op}"${escapeLabelValue(m.value)}"`).join(', ');
  return `${metric}{${body}}`;
}

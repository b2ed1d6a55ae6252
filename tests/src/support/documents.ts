import fc from 'fast-check';

/** Values that have broken hand-written validators before: wrong types, huge and odd numbers, prototype keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.POSITIVE_INFINITY, Number.NaN, Number.MAX_SAFE_INTEGER + 2, '', ' ', '-', '*', '/', '0s', '__proto__', 'constructor', [], {}),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant({ __proto__: { polluted: true } }),
);

type Edit =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'duplicate'; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileJson }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), value: hostileJson }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

interface Slot {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

/** Every place in a JSON tree a value sits (object members and array items), in a stable order. */
function slots(node: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      out.push({ parent: node, key: i });
      slots(v, out);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      out.push({ parent: node as Record<string, unknown>, key: k });
      slots(v, out);
    }
  }
  return out;
}

function applyEdit(tree: unknown, e: Edit): void {
  const all = slots(tree);
  const slot = all[e.at % Math.max(all.length, 1)];
  if (!slot) return;
  const { parent, key } = slot;
  const target = (parent as Record<string | number, unknown>)[key];
  switch (e.kind) {
    case 'set':
      (parent as Record<string | number, unknown>)[key] = structuredClone(e.value);
      return;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return;
    case 'addKey':
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, e.key, { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
      }
      return;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(target));
      return;
  }
}

/** A valid document (a JSON tree) with one to five structural edits: values replaced, keys removed or added, items doubled. */
export function editedTree(valid: unknown): fc.Arbitrary<unknown> {
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    const tree = structuredClone(valid);
    for (const e of edits) applyEdit(tree, e);
    return tree;
  });
}

/** A text with one to six byte-level edits (YAML punctuation and indentation included). */
export function editedText(valid: string): fc.Arbitrary<string> {
  const piece = fc.constantFrom(':', '-', ' ', '  ', '\n', '\t', '{', '}', '[', ']', '"', "'", '&a', '*a', '!!binary', '#', '---\n', '<<: *a', '\u0000', '~');
  const op = fc.tuple(fc.nat(), fc.oneof(piece, fc.string({ maxLength: 6 })), fc.integer({ min: 0, max: 8 }));
  return fc.array(op, { minLength: 1, maxLength: 6 }).map((ops) =>
    ops.reduce((text, [at, insert, cut]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    }, valid),
  );
}

import { isMap, isScalar, isSeq, type Node, parseAllDocuments, type YAMLMap } from 'yaml';
import { canaryPercent, formatWeights, sameWeights, type Weights } from './steps.js';

/** The traffic split a rollout moves: an HTTPRoute attached to a Service, and the two backends it shifts between. */
export interface SplitTarget {
  namespace: string;
  route: string;
  /** The Service the route is attached to (a `parentRefs` entry of kind Service). */
  service: string;
  stable: string;
  canary: string;
}

/** A problem with the route file, naming the file, the resource and the field. */
export class RouteFileError extends Error {}

/** Gateway API bounds of a backendRef's weight. */
const MAX_WEIGHT = 1_000_000;
/** A backendRef without a weight weighs this much (Gateway API default). */
const DEFAULT_WEIGHT = 1;

/** Where a backend's weight is in the text: the number's span, or where a `weight:` entry goes when it has none. */
type WeightSlot = { kind: 'replace'; start: number; end: number } | { kind: 'insert'; at: number; text: (weight: number) => string };

interface BackendRef {
  field: string;
  weight: number;
  slot: WeightSlot;
}

/** The rules of the route that send to both backends, and the weights they give them (the same in every such rule). */
export interface RouteSplit {
  /** 1-based place of the route's document in its file. */
  document: number;
  rules: { rule: number; stable: BackendRef; canary: BackendRef }[];
  weights: Weights;
}

export interface FileScan {
  /** `namespace/name` of every HTTPRoute the file declares, for messages about a route not found. */
  routes: string[];
  /** The first document that is not valid YAML, worded with its line. */
  yamlError: string | null;
  split: RouteSplit | null;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A core-group reference (`group` absent, "" or "core") of `kind`, in the route's namespace unless it names one. */
function refersTo(ref: Json, kind: string, name: string, namespace: string, defaultKind: string): boolean {
  const group = ref.group ?? '';
  return (
    (ref.kind ?? defaultKind) === kind && (group === '' || group === 'core') && ref.name === name && (ref.namespace ?? namespace) === namespace
  );
}

/**
 * Reads one file: every HTTPRoute it declares and, when it declares the target route, where its split between the
 * stable and the canary backend is. Throws RouteFileError, naming the field, when the target route is there but is
 * not a split this rollout can move.
 */
export function scanRouteFile(file: string, text: string, target: SplitTarget): FileScan {
  const scan: FileScan = { routes: [], yamlError: null, split: null };
  const documents = parseAllDocuments(text);
  documents.forEach((doc, i) => {
    const [error] = doc.errors;
    if (error) {
      const line = error.linePos ? ` at line ${error.linePos[0].line}` : '';
      scan.yamlError ??= `document ${i + 1} is not valid YAML${line}: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`;
      return;
    }
    const value: unknown = doc.toJS();
    if (!isRecord(value) || value.kind !== 'HTTPRoute' || !isRecord(value.metadata)) return;
    const { name, namespace } = value.metadata;
    scan.routes.push(`${String(namespace)}/${String(name)}`);
    if (name !== target.route || namespace !== target.namespace) return;
    scan.split = locateSplit(file, text, doc.contents, value, target, i + 1);
  });
  return scan;
}

function locateSplit(file: string, text: string, root: unknown, route: Json, target: SplitTarget, document: number): RouteSplit {
  function refuse(field: string, message: string): never {
    throw new RouteFileError(`${file}: HTTPRoute ${target.namespace}/${target.route}: ${field}: ${message}`);
  }
  if (!isRecord(route.spec)) refuse('spec', 'is missing');
  const spec = route.spec;
  const parents = Array.isArray(spec.parentRefs) ? spec.parentRefs.filter(isRecord) : [];
  if (!parents.some((p) => refersTo(p, 'Service', target.service, target.namespace, 'Gateway'))) {
    const named = parents.map((p) => `${String(p.kind ?? 'Gateway')} ${String(p.name)}`).join(', ') || 'none';
    refuse('spec.parentRefs', `the route is not attached to Service ${target.service} (its parents: ${named})`);
  }
  const rulesNode = isMap(root) ? (root.getIn(['spec', 'rules'], true) as Node | undefined) : undefined;
  if (!Array.isArray(spec.rules) || !isSeq(rulesNode)) refuse('spec.rules', 'is missing: there are no backendRefs to shift');
  const rules: RouteSplit['rules'] = [];
  const backendsSeen = new Set<string>();
  for (const [r, rule] of spec.rules.entries()) {
    const refsNode = (rulesNode.items[r] as YAMLMap | undefined)?.get?.('backendRefs', true) as Node | undefined;
    if (!isRecord(rule) || !Array.isArray(rule.backendRefs) || !isSeq(refsNode)) continue;
    let stable: BackendRef | undefined;
    let canary: BackendRef | undefined;
    const others: { field: string; weight: number }[] = [];
    for (const [b, ref] of rule.backendRefs.entries()) {
      const field = `spec.rules.${r}.backendRefs.${b}`;
      const node = refsNode.items[b];
      if (!isRecord(ref) || !isMap(node)) refuse(field, 'must be a mapping with a name');
      backendsSeen.add(String(ref.name));
      const weight = ref.weight ?? DEFAULT_WEIGHT;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
        refuse(`${field}.weight`, `must be a whole number from 0 to ${MAX_WEIGHT}, got ${JSON.stringify(ref.weight)}`);
      }
      const role = refersTo(ref, 'Service', target.stable, target.namespace, 'Service')
        ? 'stable'
        : refersTo(ref, 'Service', target.canary, target.namespace, 'Service')
          ? 'canary'
          : null;
      if (role === null) {
        others.push({ field, weight });
        continue;
      }
      if ((role === 'stable' ? stable : canary) !== undefined) refuse(field, `names Service ${ref.name} a second time in the same rule`);
      const found = { field, weight, slot: weightSlot(text, node, `${field}.weight`, refuse) };
      if (role === 'stable') stable = found;
      else canary = found;
    }
    if (stable === undefined || canary === undefined) continue;
    const third = others.find((o) => o.weight > 0);
    if (third) {
      refuse(
        third.field,
        `a rollout shifts traffic between two backends, and this rule also sends to a third (weight ${third.weight}); give it weight 0 or move it to a rule of its own`,
      );
    }
    rules.push({ rule: r, stable, canary });
  }
  const [first] = rules;
  if (first === undefined) {
    const listed = [...backendsSeen].join(', ') || 'none';
    for (const name of [target.stable, target.canary]) {
      if (!backendsSeen.has(name)) refuse('spec.rules[].backendRefs', `no backendRef names Service ${name} (the backends: ${listed})`);
    }
    refuse('spec.rules[].backendRefs', `no rule sends to both ${target.stable} and ${target.canary}: a rollout shifts traffic within a rule`);
  }
  const weights = { stable: first.stable.weight, canary: first.canary.weight };
  if (weights.stable + weights.canary === 0) {
    refuse(`spec.rules.${first.rule}.backendRefs`, `${target.stable} and ${target.canary} both weigh 0: the rule sends them nothing to shift`);
  }
  for (const other of rules.slice(1)) {
    const w = { stable: other.stable.weight, canary: other.canary.weight };
    if (canaryPercent(w) !== canaryPercent(weights)) {
      refuse(
        `spec.rules.${other.rule}.backendRefs`,
        `splits ${formatWeights(w)} where spec.rules.${first.rule} splits ${formatWeights(weights)} (${target.stable}/${target.canary}); make the rules agree before a rollout`,
      );
    }
  }
  return { document, rules, weights };
}

/** Where a backendRef's weight is, or where one goes: after its last entry (a block mapping) or inside its braces (flow). */
function weightSlot(text: string, ref: YAMLMap, field: string, refuse: (field: string, message: string) => never): WeightSlot {
  const pair = ref.items.find((p) => isScalar(p.key) && p.key.value === 'weight');
  if (pair) {
    const value = pair.value;
    if (!isScalar(value) || !value.range) return refuse(field, 'must be a plain number');
    return { kind: 'replace', start: value.range[0], end: value.range[1] };
  }
  const last = ref.items.at(-1);
  const node = (last?.value ?? last?.key) as Node | undefined;
  const firstKey = ref.items[0]?.key as Node | undefined;
  if (!node?.range || !firstKey?.range) return refuse(field, 'cannot be added to an empty mapping');
  let end = node.range[1];
  if (ref.flow) return { kind: 'insert', at: end, text: (w) => `, weight: ${w}` };
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  const newline = text.indexOf('\n', end);
  const crlf = newline > 0 && text[newline - 1] === '\r';
  const at = newline < 0 ? text.length : crlf ? newline - 1 : newline;
  const indent = ' '.repeat(firstKey.range[0] - (text.lastIndexOf('\n', firstKey.range[0] - 1) + 1));
  return { kind: 'insert', at, text: (w) => `${crlf ? '\r\n' : '\n'}${indent}weight: ${w}` };
}

/**
 * The file's text with the two backends' weights set to `weights` in every rule that sends to both, and nothing
 * else changed: each weight's number is replaced where it stands (or a `weight:` entry added beside the backend's
 * other fields), so comments, other documents and formatting stay as they were. The result is read back and
 * checked before it is returned.
 */
export function withWeights(file: string, text: string, target: SplitTarget, weights: Weights): string {
  const split = scanRouteFile(file, text, target).split;
  if (split === null) throw new RouteFileError(`${file}: no HTTPRoute ${target.namespace}/${target.route} to edit`);
  const edits = split.rules
    .flatMap((r) => [
      { slot: r.stable.slot, weight: weights.stable },
      { slot: r.canary.slot, weight: weights.canary },
    ])
    .sort((a, b) => position(b.slot) - position(a.slot));
  let out = text;
  for (const { slot, weight } of edits) {
    out = slot.kind === 'replace' ? out.slice(0, slot.start) + String(weight) + out.slice(slot.end) : out.slice(0, slot.at) + slot.text(weight) + out.slice(slot.at);
  }
  const check = scanRouteFile(file, out, target).split;
  if (check === null || !sameWeights(check.weights, weights) || check.rules.length !== split.rules.length) {
    throw new RouteFileError(`${file}: HTTPRoute ${target.namespace}/${target.route}: the weights could not be set safely; the file was left as it was`);
  }
  return out;
}

const position = (slot: WeightSlot): number => (slot.kind === 'replace' ? slot.start : slot.at);

/**
 * Turns the JSON Schema zod writes (OpenAPI 3.0 flavour) into a Kubernetes structural schema: every node has a
 * type, there is no `$ref` and no `anyOf`/`oneOf`/`allOf`/`not`, `properties` and `additionalProperties` are never
 * both set. Anything the conversion does not know is an error naming where it is, so a schema change Kubernetes
 * would refuse fails here, not at `kubectl apply`.
 */

export type JsonSchema = { [key: string]: unknown };

// Value checks Kubernetes accepts on a typed node.
const KEPT = new Set([
  'type',
  'description',
  'default',
  'enum',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'required',
]);

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A union of an integer and a string (a port number or name): Kubernetes' int-or-string. */
function intOrString(schema: JsonSchema): boolean {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return false;
  const types = branches.map((b) => (isSchema(b) ? b.type : undefined)).sort();
  return types[0] === 'integer' && types[1] === 'string';
}

export function toStructural(schema: JsonSchema, at = ''): JsonSchema {
  const where = at === '' ? '(root)' : at;
  if (intOrString(schema)) {
    const out: JsonSchema = { 'x-kubernetes-int-or-string': true };
    if (typeof schema.description === 'string') out.description = schema.description;
    return out;
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT.has(key) || key.startsWith('x-kubernetes-')) {
      out[key] = value;
    } else if (key === 'properties' && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toStructural(sub as JsonSchema, `${at}.${name}`)]),
      );
    } else if (key === 'items' && isSchema(value)) {
      out.items = toStructural(value, `${at}[]`);
    } else if (key === 'additionalProperties') {
      // `false` is what a strict object says; Kubernetes prunes unknown fields itself and refuses `false` beside
      // `properties`. A schema (a map's values) is kept.
      if (isSchema(value)) out.additionalProperties = toStructural(value, `${at}{}`);
      else if (value !== false) throw new Error(`${where}: additionalProperties ${JSON.stringify(value)} has no structural form`);
    } else if (key !== '$schema') {
      throw new Error(`${where}: "${key}" has no place in a Kubernetes structural schema`);
    }
  }
  if (typeof out.type !== 'string') throw new Error(`${where}: a structural schema needs a type on every node`);
  return ordered(out);
}

// Type and description first, nested schemas and rules last: the order a reader of the CRD looks for them in.
const ORDER = ['type', 'description', ...[...KEPT].filter((k) => k !== 'required'), 'properties', 'items', 'additionalProperties', 'required'];

function ordered(schema: JsonSchema): JsonSchema {
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Every rule `toStructural` promises, checked on a finished schema; the list of breaches is empty when it holds. */
export function structuralProblems(schema: unknown, at = ''): string[] {
  const where = at === '' ? '(root)' : at;
  if (!isSchema(schema)) return [`${where}: not a schema object`];
  const problems: string[] = [];
  for (const banned of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', '$defs', 'definitions', 'propertyNames', 'const']) {
    if (banned in schema) problems.push(`${where}: ${banned} is not allowed`);
  }
  if (schema['x-kubernetes-int-or-string'] === true) return problems;
  if (typeof schema.type !== 'string') problems.push(`${where}: no type`);
  if ((schema.properties !== undefined || schema.additionalProperties !== undefined) && schema.type !== 'object') {
    problems.push(`${where}: has properties but is not type: object`);
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined) {
    problems.push(`${where}: properties and additionalProperties together`);
  }
  if (schema.type === 'array' && !isSchema(schema.items)) problems.push(`${where}: array without items`);
  if (isSchema(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) problems.push(...structuralProblems(sub, `${at}.${name}`));
  }
  if (isSchema(schema.items)) problems.push(...structuralProblems(schema.items, `${at}[]`));
  if (isSchema(schema.additionalProperties)) problems.push(...structuralProblems(schema.additionalProperties, `${at}{}`));
  return problems;
}

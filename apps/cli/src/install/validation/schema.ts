import { Ajv, type ValidateFunction } from 'ajv';
import { type KubeObject, objectRef } from '../objects.js';

/**
 * Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models: the models and
 * compiled validators of a current Kubernetes release), and objects of a custom resource against the
 * openAPIV3Schema of its CRD. Returns one line per problem, naming the object and the field; [] when all pass.
 */
export async function schemaProblems(objects: readonly KubeObject[], crds: readonly KubeObject[]): Promise<string[]> {
  const custom = crdValidators(crds);
  const problems: string[] = [];
  for (const o of objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
    const validate = custom.get(`${o.apiVersion}/${o.kind}`);
    if (validate) {
      if (!validate(o)) {
        for (const e of validate.errors ?? []) problems.push(`${objectRef(o)}: ${e.instancePath || '/'} ${e.message} ${paramsText(e.params)}`.trim());
      }
      continue;
    }
    if (group.includes('.') && !group.endsWith('.k8s.io')) {
      problems.push(`${objectRef(o)}: no CRD in the render defines ${o.apiVersion} ${o.kind}`);
      continue;
    }
    const model = await loadModel(o.apiVersion, o.kind);
    if (!model) {
      problems.push(`${objectRef(o)}: ${o.apiVersion} ${o.kind} is not a Kubernetes kind`);
      continue;
    }
    try {
      new model(o).validate();
    } catch (error) {
      problems.push(`${objectRef(o)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

type Model = new (data: unknown) => { validate(): void };

async function loadModel(apiVersion: string, kind: string): Promise<Model | undefined> {
  // kubernetes-models lays out one module per kind: v1/Service, apps/v1/Deployment, policy/v1/PodDisruptionBudget.
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) return undefined;
  const specifier = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    const mod = (await import(specifier)) as Record<string, Model | undefined>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

function paramsText(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? '' : `(${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')})`;
}

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: JsonSchema } }[] };
}
type JsonSchema = Record<string, unknown>;

/**
 * One validator per served version of each CRD. Fields a structural schema does not declare are pruned by the
 * API server without a word; here they are errors (additionalProperties false), so a misspelt field is caught.
 */
function crdValidators(crds: readonly KubeObject[]): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    validate: (enabled: boolean, data: unknown) => !enabled || typeof data === 'string' || Number.isInteger(data),
  });
  const out = new Map<string, ValidateFunction>();
  for (const o of crds) {
    const crd = o as unknown as Crd;
    for (const v of crd.spec.versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) continue;
      out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(closed(schema, true)));
    }
  }
  return out;
}

function closed(schema: JsonSchema, root = false): JsonSchema {
  const out: JsonSchema = { ...schema };
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, closed(v)]));
    if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
  }
  if (schema.items) out.items = closed(schema.items as JsonSchema);
  if (root && properties?.metadata) out.properties = { ...(out.properties as object), metadata: { type: 'object' } };
  return out;
}

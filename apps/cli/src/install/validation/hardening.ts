import { type Container, containersOf, type KubeObject, objectRef, type PodSpec, podSpecOf } from '../objects.js';

/**
 * The hardening rules every rendered object must keep (deploy/README.md, "Permissions"), one line per
 * breach; [] when all hold. Pods: a service account of their own, non-root with a fixed UID, read-only root,
 * no privilege escalation, every capability dropped, seccomp RuntimeDefault, probes, pinned images, nothing of
 * the host. RBAC: no wildcards, reads only list and watch (get only where a client needs it), the only write a
 * TokenReview, no access to Secrets at all. The issuer Secret is mounted by the identity pods alone.
 */
export function hardeningProblems(objects: readonly KubeObject[]): string[] {
  return [...podProblems(objects), ...rbacProblems(objects), ...secretProblems(objects), ...webhookProblems(objects)];
}

/** The init step that writes iptables rules is the one container allowed to add capabilities, these two. */
const INIT_CAPABILITIES = ['NET_ADMIN', 'NET_RAW'];
const ISSUER_SECRET = 'meshviz-identity-issuer';
const IDENTITY_SERVICE_ACCOUNT = 'identity';

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
}

function podProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const accounts = new Map<string, string>();
  const bound = boundServiceAccounts(objects);
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    const at = objectRef(o);
    const say = (text: string) => problems.push(`${at}: ${text}`);
    const sa = pod.serviceAccountName as string | undefined;
    if (!sa || sa === 'default') say('runs as the default service account; give it one of its own');
    else {
      const key = `${o.metadata.namespace}/${sa}`;
      if (accounts.has(key)) say(`shares service account ${sa} with ${accounts.get(key)}`);
      accounts.set(key, at);
      if (!bound.has(key) && pod.automountServiceAccountToken !== false) {
        say(`service account ${sa} has no role, yet its token is mounted (automountServiceAccountToken: false)`);
      }
    }
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[field] === true) say(`sets ${field}`);
    for (const v of (pod.volumes as { name: string; hostPath?: unknown }[] | undefined) ?? []) {
      if (v.hostPath) say(`volume ${v.name} is a hostPath`);
    }
    const podContext = (pod.securityContext ?? {}) as SecurityContext;
    for (const c of containersOf(pod)) problems.push(...containerProblems(at, pod, c, podContext));
  }
  return problems;
}

function containerProblems(at: string, pod: PodSpec, c: Container, podContext: SecurityContext): string[] {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${at}: container ${c.name}: ${text}`);
  const own = (c.securityContext ?? {}) as SecurityContext;
  const isInitStep = (pod.initContainers ?? []).includes(c) && c.restartPolicy !== 'Always';
  const isIptablesStep = isInitStep && JSON.stringify(c.command ?? c.args ?? []).includes('meshviz-proxy-init');
  const runAsUser = own.runAsUser ?? podContext.runAsUser;
  if (!isIptablesStep) {
    if ((own.runAsNonRoot ?? podContext.runAsNonRoot) !== true) say('runAsNonRoot is not true');
    if (typeof runAsUser !== 'number' || runAsUser <= 0) say('runs without a fixed non-root runAsUser');
  }
  if (own.readOnlyRootFilesystem !== true) say('readOnlyRootFilesystem is not true');
  if (own.allowPrivilegeEscalation !== false) say('allowPrivilegeEscalation is not false');
  if (own.privileged === true) say('is privileged');
  if (!(own.capabilities?.drop ?? []).includes('ALL')) say('does not drop ALL capabilities');
  const added = own.capabilities?.add ?? [];
  const allowed = isIptablesStep ? INIT_CAPABILITIES : [];
  for (const cap of added) if (!allowed.includes(cap)) say(`adds capability ${cap}`);
  if ((own.seccompProfile?.type ?? podContext.seccompProfile?.type) !== 'RuntimeDefault') say('seccompProfile is not RuntimeDefault');
  const image = c.image ?? '';
  const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  if (!tag || tag === 'latest') say(`image "${image}" is not pinned to a version`);
  if (!isInitStep) {
    if (!c.readinessProbe && !c.startupProbe) say('has no readiness probe');
    if (!c.livenessProbe) say('has no liveness probe');
  }
  const ports = new Set(((c.ports as { name?: string }[] | undefined) ?? []).map((p) => p.name));
  for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
    const port = (c[kind] as { httpGet?: { port?: unknown }; tcpSocket?: { port?: unknown } } | undefined)?.httpGet?.port;
    if (typeof port === 'string' && !ports.has(port)) say(`${kind} names port ${port}, which the container does not declare`);
  }
  return problems;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

/** Reads: list and watch (what informers and service discovery use); get only for these. Writes: TokenReviews. */
const GET_ALLOWED = new Set(['pods']);
const WRITES_ALLOWED = new Map([['authentication.k8s.io/tokenreviews', ['create']]]);

function rbacProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue;
    const at = objectRef(o);
    for (const rule of (o.rules as Rule[] | undefined) ?? []) {
      const everything = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? [])];
      if (everything.includes('*')) problems.push(`${at}: a rule uses the wildcard *`);
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          const name = group ? `${group}/${resource}` : resource;
          if (resource === 'secrets' || resource.startsWith('secrets/')) problems.push(`${at}: grants access to secrets`);
          const writes = WRITES_ALLOWED.get(name);
          for (const verb of rule.verbs ?? []) {
            const ok = writes ? writes.includes(verb) : verb === 'list' || verb === 'watch' || (verb === 'get' && GET_ALLOWED.has(name));
            if (!ok) problems.push(`${at}: ${verb} on ${name} is more than a reader needs`);
          }
        }
      }
    }
  }
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    for (const s of (o.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? []) {
      const ns = s.namespace ?? o.metadata.namespace;
      const exists = objects.some((x) => x.kind === 'ServiceAccount' && x.metadata.name === s.name && x.metadata.namespace === ns);
      if (s.kind !== 'ServiceAccount' || !exists) problems.push(`${objectRef(o)}: binds ${s.kind} ${ns}/${s.name}, not a service account of this render`);
    }
  }
  return problems;
}

function boundServiceAccounts(objects: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    for (const s of (o.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? []) {
      if (s.kind === 'ServiceAccount') out.add(`${s.namespace ?? o.metadata.namespace}/${s.name}`);
    }
  }
  return out;
}

/** The issuer's key is in one Secret, and only the identity pods may mount or read it. */
function secretProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod || !JSON.stringify(pod).includes(`"${ISSUER_SECRET}"`)) continue;
    if (pod.serviceAccountName !== IDENTITY_SERVICE_ACCOUNT) {
      problems.push(`${objectRef(o)}: uses the issuer Secret ${ISSUER_SECRET}, which only the identity service may`);
    }
  }
  return problems;
}

interface Webhook {
  name: string;
  sideEffects?: string;
  failurePolicy?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  namespaceSelector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  objectSelector?: unknown;
}

function webhookProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    if (o.kind !== 'MutatingWebhookConfiguration' && o.kind !== 'ValidatingWebhookConfiguration') continue;
    for (const hook of (o.webhooks as Webhook[] | undefined) ?? []) {
      const say = (text: string) => problems.push(`${objectRef(o)}: webhook ${hook.name}: ${text}`);
      if (hook.sideEffects !== 'None') say('sideEffects is not None');
      if (hook.failurePolicy !== 'Ignore' && hook.failurePolicy !== 'Fail') say('failurePolicy is not set');
      if (JSON.stringify(hook.admissionReviewVersions) !== '["v1"]') say('admissionReviewVersions is not [v1]');
      if ((hook.timeoutSeconds ?? 10) > 10) say('timeoutSeconds is over 10');
      if (!hook.objectSelector) say('has no objectSelector');
      const excluded = hook.namespaceSelector?.matchExpressions?.find((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'NotIn');
      for (const ns of ['kube-system', 'meshviz-system']) {
        if (!excluded?.values?.includes(ns)) say(`its namespaceSelector does not leave out ${ns}`);
      }
    }
  }
  return problems;
}

/**
 * CONTROL_SERVICES: which of the control plane's services this process runs. On Kubernetes each Deployment runs its
 * own (`identity`; `destination,policy`; `injector`), so only the identity pods hold the issuer; unset, a process
 * runs what its other variables configure (identity always), as `meshviz up` runs it.
 */
export const CONTROL_SERVICE_NAMES = ['identity', 'policy', 'destination', 'injector'] as const;
export type ControlServiceName = (typeof CONTROL_SERVICE_NAMES)[number];

const SERVICES_VAR = 'CONTROL_SERVICES';

/** `destination, policy` → the names; a string saying what is wrong otherwise. */
export function parseServiceList(text: string): ControlServiceName[] | string {
  const names = text.split(',').map((name) => name.trim());
  if (names.every((name) => name === '')) return `must name at least one of ${CONTROL_SERVICE_NAMES.join(', ')}`;
  const services: ControlServiceName[] = [];
  for (const name of names) {
    if (!(CONTROL_SERVICE_NAMES as readonly string[]).includes(name)) {
      return `${JSON.stringify(name)} is not a service; use a comma-separated list of ${CONTROL_SERVICE_NAMES.join(', ')}`;
    }
    if (services.includes(name as ControlServiceName)) return `lists ${name} twice`;
    services.push(name as ControlServiceName);
  }
  return services;
}

/** What the process runs when CONTROL_SERVICES is unset: identity, and each other service its variables configure. */
export function defaultServices(configured: { policy: boolean; destination: boolean; injector: boolean }): ControlServiceName[] {
  return CONTROL_SERVICE_NAMES.filter((name) => name === 'identity' || configured[name]);
}

/**
 * The services reading each variable: a variable set for none of the listed services is refused, since it would be
 * ignored without a word. Variables of every process (admin address, trust domain, log level, Kubernetes API) are
 * not listed.
 */
const READERS: Record<string, readonly ControlServiceName[]> = {
  CONTROL_IDENTITY_LISTEN_ADDR: ['identity'],
  CONTROL_IDENTITY_DIR: ['identity'],
  CONTROL_IDENTITY_LEAF_LIFETIME: ['identity'],
  CONTROL_IDENTITY_CLOCK_SKEW: ['identity'],
  CONTROL_IDENTITY_TOKEN_VALIDATOR: ['identity'],
  CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: ['identity'],
  CONTROL_IDENTITY_SVC_ADDR: ['policy', 'destination'],
  CONTROL_IDENTITY_TOKEN_FILE: ['policy', 'destination'],
  CONTROL_TRUST_ANCHORS_FILE: ['policy', 'destination', 'injector'],
  CONTROL_POLICY_LISTEN_ADDR: ['policy'],
  CONTROL_POLICY_WORKLOADS_FILE: ['policy', 'destination'],
  CONTROL_POLICY_DIR: ['policy', 'destination'],
  CONTROL_POLICY_POLL_INTERVAL: ['policy', 'destination'],
  CONTROL_DESTINATION_LISTEN_ADDR: ['destination'],
  CONTROL_DESTINATION_BASE_FILE: ['destination'],
  CONTROL_DESTINATION_PUBLISH_FILE: ['destination'],
  CONTROL_SOURCE: ['policy', 'destination'],
  CONTROL_CLUSTER_NETWORKS: ['policy', 'destination'],
};
const readersOf = (variable: string): readonly ControlServiceName[] | undefined =>
  READERS[variable] ?? (variable.startsWith('CONTROL_INJECTOR_') ? ['injector'] : undefined);

/** Variables for a process without the identity service: with it, anchors and certificates come from its trust files. */
const WITHOUT_IDENTITY = ['CONTROL_IDENTITY_SVC_ADDR', 'CONTROL_IDENTITY_TOKEN_FILE', 'CONTROL_TRUST_ANCHORS_FILE'] as const;

export interface ServiceProblem {
  variable: string;
  message: string;
}

/**
 * What is wrong with the services a process runs and the variables it was given: a listed service without its
 * settings, settings of a service not listed, and the certify client's settings beside the identity service.
 * `given` are the variables set in the environment; `explicit` whether CONTROL_SERVICES was (unset, only what the
 * default allows is checked, so today's configurations keep working).
 */
export function serviceProblems(services: readonly ControlServiceName[], given: ReadonlySet<string>, explicit: boolean, source: 'local' | 'kubernetes'): ServiceProblem[] {
  const problems: ServiceProblem[] = [];
  const runs = (name: ControlServiceName) => services.includes(name);
  const listed = `${SERVICES_VAR} is ${services.join(',')}`;
  const require = (variable: string, why?: string) => {
    if (!given.has(variable)) problems.push({ variable, message: why ? `is required: ${why}` : 'is required' });
  };
  if (explicit) {
    for (const variable of [...given].sort()) {
      const readers = readersOf(variable);
      if (readers && !readers.some(runs)) problems.push({ variable, message: `is a setting of ${readers.join(' or ')}, which this process does not run (${listed}); unset it` });
    }
    if (runs('policy') && source === 'local') require('CONTROL_POLICY_WORKLOADS_FILE', `${SERVICES_VAR} lists policy and CONTROL_SOURCE is local`);
    if (runs('destination') && source === 'local') require('CONTROL_DESTINATION_BASE_FILE', `${SERVICES_VAR} lists destination and CONTROL_SOURCE is local`);
    if (runs('injector')) require('CONTROL_INJECTOR_LISTEN_ADDR', `${SERVICES_VAR} lists injector`);
  }
  if (runs('identity')) {
    require('CONTROL_IDENTITY_DIR', explicit ? `${SERVICES_VAR} lists identity, which signs with the issuer of this trust directory` : undefined);
    for (const variable of WITHOUT_IDENTITY) {
      if (given.has(variable)) {
        problems.push({ variable, message: 'is for a process without identity; this one runs it, and its anchors and certificates come from CONTROL_IDENTITY_DIR' });
      }
    }
    return problems;
  }
  if (runs('policy') || runs('destination')) {
    const why = `${listed}: without identity, policy and destination certify through the identity service`;
    for (const variable of WITHOUT_IDENTITY) require(variable, why);
  } else if (runs('injector') && !given.has('CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP')) {
    require('CONTROL_TRUST_ANCHORS_FILE', `${listed}: without identity, the injector writes these anchors into pods (or set CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP)`);
  }
  return problems;
}

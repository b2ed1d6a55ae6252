import { AUTHZ_METRIC, type InboundPolicy } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { compilePolicy, defaultPort, type PolicyDefaults, type PortAuthz } from './compile.js';

const MAX_OTHER_PORTS = 256;

export interface PolicyStateOptions {
  /** The app port the inbound side forwards to: the port whose policy applies. */
  readonly port: number;
  readonly defaults: PolicyDefaults;
  /** True when a policy service is configured: until its first policy (or the initial wait) nothing is settled. */
  readonly awaitControl: boolean;
  readonly registry: Registry;
  readonly log: Logger;
}

/**
 * The inbound policy in force. `port` is read by every request and connection; a new policy is compiled first and
 * swapped in with one assignment, so requests decided before the swap finish under the old one and every later
 * one sees the new. Before the first policy from the control plane the state is unsettled: the hold stage keeps new
 * connections waiting until `apply` or `useDefault` settles it.
 */
export class PolicyState {
  private current: PortAuthz;
  private settledBy: 'control' | 'default' | undefined;
  private readonly waiting = new Set<() => void>();
  private readonly info: Gauge;
  private readonly log: Logger;
  private readonly defaults: PolicyDefaults;
  private readonly appPort: number;
  /** The policy in force (undefined: the default), and its compilation for other ports than the app's, on demand. */
  private policy: InboundPolicy | undefined;
  private others = new Map<number, PortAuthz>();

  constructor(options: PolicyStateOptions) {
    this.appPort = options.port;
    this.defaults = options.defaults;
    this.log = options.log.child({ component: 'policy' });
    this.current = defaultPort(options.port, options.defaults);
    this.info = new Gauge({
      name: AUTHZ_METRIC.policyInfo,
      help: 'The inbound policy in force: its revision (empty for the default) and where it came from; always 1.',
      labelNames: ['revision', 'source'],
      registers: [options.registry],
    });
    if (!options.awaitControl) this.useDefault('no policy service is configured (PROXY_POLICY_SVC_ADDR)');
  }

  /** The policy of the served port, as compiled; never undefined (the default until a policy arrives). */
  get port(): PortAuthz {
    return this.current;
  }

  /**
   * The policy of one app port (transparent interception, where each connection's original destination names the
   * port it was meant for); undefined: the served port's. Compiled once per policy and port.
   */
  forPort(port: number | undefined): PortAuthz {
    if (port === undefined || port === this.appPort) return this.current;
    let compiled = this.others.get(port);
    if (!compiled) {
      // The port set is the app's own listening ports, but a stray client can name any: bound the cache.
      if (this.others.size >= MAX_OTHER_PORTS) this.others.clear();
      compiled = this.policy ? compilePolicy(this.policy, port) : defaultPort(port, this.defaults);
      this.others.set(port, compiled);
    }
    return compiled;
  }

  /** Whether a policy (from the control plane, or the default after the wait) is in force. */
  get settled(): boolean {
    return this.settledBy !== undefined;
  }

  get source(): 'control' | 'default' | undefined {
    return this.settledBy;
  }

  /** Compiles and swaps in a policy from the control plane. Throws, keeping the current one, when it is malformed. */
  apply(policy: InboundPolicy): void {
    const compiled = compilePolicy(policy, this.appPort);
    this.current = compiled;
    this.policy = policy;
    this.others = new Map();
    this.info.reset();
    this.info.set({ revision: String(policy.revision), source: 'control' }, 1);
    this.log.info(
      { revision: policy.revision, server: `${compiled.server.kind}/${compiled.server.name}`, port: this.appPort, protocol: compiled.protocol },
      'inbound policy in force',
    );
    this.settle('control');
  }

  /**
   * Puts the configured default in force when nothing is yet (no policy service, or none answered within the
   * initial wait); a policy from the control plane replaces it when it arrives.
   */
  useDefault(why: string): void {
    if (this.settledBy !== undefined) return;
    this.current = defaultPort(this.appPort, this.defaults);
    this.policy = undefined;
    this.others = new Map();
    this.info.reset();
    this.info.set({ revision: '', source: 'default' }, 1);
    this.log.info({ defaultPolicy: this.defaults.defaultPolicy, port: this.appPort, why }, 'default inbound policy in force');
    this.settle('default');
  }

  /** Calls `fn` once when the state settles (never if it already has: check `settled` first). */
  onSettled(fn: () => void): void {
    this.waiting.add(fn);
  }

  offSettled(fn: () => void): void {
    this.waiting.delete(fn);
  }

  private settle(by: 'control' | 'default'): void {
    const first = this.settledBy === undefined;
    this.settledBy = by;
    if (!first) return;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const fn of waiting) fn();
  }
}

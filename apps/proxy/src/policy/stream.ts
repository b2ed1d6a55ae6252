import { POLICY_STREAM_PATH, PolicyStreamMessage } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { type ControlStream, parseLine, startControlStream } from '../control/stream-client.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { PolicyState } from './state.js';

export interface PolicyStreamOptions {
  readonly addr: HostPort;
  /** The identity the policy service must present. */
  readonly serverName: string;
  readonly workload: { readonly namespace: string; readonly name: string };
  readonly identity: LocalIdentity;
  readonly state: PolicyState;
  readonly log: Logger;
  /** Backoff and silence limits; POLICY_DEFAULTS unless a test shortens them. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  readonly idleMs?: number;
}

export type PolicyStream = ControlStream;

/** A policy line longer than this is refused (a message is a few KiB; this bounds what a broken peer can make us hold). */
export const MAX_POLICY_LINE_BYTES = 1024 * 1024;

/**
 * The proxy's client of the control plane's policy stream: `GET <POLICY_STREAM_PATH>/<namespace>/<workload>` over
 * the shared NDJSON-over-mTLS client (control/stream-client.ts). Each line is parsed with the contract's schema; a
 * policy is compiled and swapped in (PolicyState.apply), a heartbeat only proves the stream alive. A malformed line
 * (not JSON, not the schema, another workload's, a bad CIDR or regular expression) is logged with what was wrong,
 * the current policy stays in force and the stream is opened again.
 */
export function startPolicyStream(options: PolicyStreamOptions): PolicyStream {
  const { addr, workload, state } = options;
  const path = `${POLICY_STREAM_PATH}/${encodeURIComponent(workload.namespace)}/${encodeURIComponent(workload.name)}`;
  const log = options.log.child({ component: 'policy-stream', policyService: `${addr.host}:${addr.port}`, path });

  /** Applies one line; returns what was wrong with it, or undefined. */
  const onLine = (line: string): string | undefined => {
    const parsed = parseLine(line, PolicyStreamMessage, 'PolicyStreamMessage');
    if ('problem' in parsed) return parsed.problem;
    const { message } = parsed;
    if (message.type === 'heartbeat') return undefined;
    const { namespace, name } = message.policy.workload;
    if (namespace !== workload.namespace || name !== workload.name) {
      return `the policy is for workload ${namespace}/${name}, this proxy serves ${workload.namespace}/${workload.name}`;
    }
    try {
      state.apply(message.policy);
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  return startControlStream({
    addr,
    serverName: options.serverName,
    path,
    identity: options.identity,
    log,
    wording: { service: 'policy service', stream: 'policy stream', kept: 'the current policy' },
    maxLineBytes: MAX_POLICY_LINE_BYTES,
    onLine,
    reconnectMinMs: options.reconnectMinMs,
    reconnectMaxMs: options.reconnectMaxMs,
    idleMs: options.idleMs,
  });
}

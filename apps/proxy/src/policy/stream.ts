import type { ClientRequest } from 'node:http';
import https from 'node:https';
import { POLICY_DEFAULTS, POLICY_STREAM_PATH, PolicyStreamMessage } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { LocalIdentity } from '../identity/local-identity.js';
import { expectServiceIdentity } from '../identity/service-identity.js';
import { LineSplitter } from './ndjson.js';
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

export interface PolicyStream {
  stop(): void;
}

/** A policy line longer than this is refused (a message is a few KiB; this bounds what a broken peer can make us hold). */
export const MAX_POLICY_LINE_BYTES = 1024 * 1024;
const MAX_REFUSAL_BYTES = 4096;

/**
 * The proxy's client of the control plane's policy stream. Once this proxy holds a certificate it opens
 * `GET <POLICY_STREAM_PATH>/<namespace>/<workload>` over TLS 1.3, presenting that certificate, and checks the
 * server against the trust anchors and its identity against `serverName` before reading a byte. Each NDJSON line is
 * parsed with the contract's schema; a policy is compiled and swapped in (PolicyState.apply), a heartbeat only
 * proves the stream alive. A malformed line (not JSON, not the schema, another workload's, a bad CIDR or regular
 * expression) is logged with what was wrong, the current policy stays in force and the stream is opened again.
 * A stream silent for `idleMs` is dropped; every failure reconnects with jittered exponential backoff.
 */
export function startPolicyStream(options: PolicyStreamOptions): PolicyStream {
  const { addr, serverName, workload, identity, state } = options;
  const minMs = options.reconnectMinMs ?? POLICY_DEFAULTS.reconnectMinMs;
  const maxMs = options.reconnectMaxMs ?? POLICY_DEFAULTS.reconnectMaxMs;
  const idleMs = options.idleMs ?? POLICY_DEFAULTS.streamIdleMs;
  const path = `${POLICY_STREAM_PATH}/${encodeURIComponent(workload.namespace)}/${encodeURIComponent(workload.name)}`;
  const log = options.log.child({ component: 'policy-stream', policyService: `${addr.host}:${addr.port}`, path });
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let current: { req: ClientRequest; idle: NodeJS.Timeout } | undefined;
  let awaitingIdentity = false;

  const schedule = (): void => {
    if (stopped) return;
    failures += 1;
    const base = Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 30));
    retry = setTimeout(connect, Math.min(maxMs, base * (1 + Math.random() * 0.5)));
  };

  function connect(): void {
    retry = undefined;
    if (stopped) return;
    if (!identity.ready) {
      awaitingIdentity = true;
      return;
    }
    let ended = false;
    let req: ClientRequest;
    try {
      req = https.request({
        host: addr.host,
        port: addr.port,
        method: 'GET',
        path,
        servername: serverName,
        ...identity.contextOptions(),
        agent: false,
        checkServerIdentity: expectServiceIdentity('policy service', serverName),
        headers: { accept: 'application/x-ndjson' },
      });
    } catch (error) {
      // Only options Node refuses get here (the certificate or key no longer loads); try again later.
      log.warn({ reason: (error as Error).message }, 'policy service unreachable; retrying');
      schedule();
      return;
    }
    const onIdle = (): void => end('warn', { idleMs }, 'the policy stream was silent too long; reconnecting');
    const stream = { req, idle: setTimeout(onIdle, idleMs) };
    current = stream;
    const alive = (): void => {
      if (!ended) stream.idle.refresh();
    };
    function end(level: 'warn' | 'error', fields: object, message: string): void {
      if (ended) return;
      ended = true;
      clearTimeout(stream.idle);
      if (current === stream) current = undefined;
      req.destroy();
      if (stopped) return;
      log[level](fields, message);
      schedule();
    }

    req.on('response', (res) => {
      alive();
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200 || !type.startsWith('application/x-ndjson')) {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_REFUSAL_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        const refused = (): void => {
          const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REFUSAL_BYTES).trim();
          end('warn', { status: res.statusCode, contentType: type, body }, 'the policy service did not open a policy stream');
        };
        res.on('end', refused);
        res.on('error', refused);
        return;
      }
      log.info('policy stream open');
      const lines = new LineSplitter(MAX_POLICY_LINE_BYTES);
      res.on('data', (chunk: Buffer) => {
        alive();
        let complete: string[];
        try {
          complete = lines.push(chunk);
        } catch (error) {
          end('error', { problem: (error as Error).message }, 'malformed policy stream message; keeping the current policy and reconnecting');
          return;
        }
        for (const line of complete) {
          if (ended) return;
          const problem = accept(line);
          if (problem !== undefined) {
            end(
              'error',
              { problem, line: line.length > 200 ? `${line.slice(0, 200)}…` : line },
              'malformed policy stream message; keeping the current policy and reconnecting',
            );
          }
        }
      });
      res.on('end', () => end('warn', {}, 'the policy service ended the stream; reconnecting'));
      res.on('error', (error) => end('warn', { reason: error.message }, 'the policy stream failed; reconnecting'));
    });
    req.on('error', (error) => end('warn', { reason: error.message }, 'policy service unreachable; retrying'));
    req.end();
  }

  /** Applies one line; returns what was wrong with it, or undefined. */
  function accept(line: string): string | undefined {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      return `not JSON: ${(error as Error).message}`;
    }
    const parsed = PolicyStreamMessage.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
      return `does not match PolicyStreamMessage: ${issues.join('; ')}`;
    }
    const message = parsed.data;
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
    failures = 0;
    return undefined;
  }

  // The client certificate is the proxy's own: the first connect waits for certification.
  identity.onChange(() => {
    if (!awaitingIdentity || stopped) return;
    awaitingIdentity = false;
    connect();
  });
  connect();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      if (current) {
        clearTimeout(current.idle);
        current.req.destroy();
        current = undefined;
      }
    },
  };
}

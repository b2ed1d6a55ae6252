import type { ClientRequest } from 'node:http';
import https from 'node:https';
import { expectServiceIdentity } from '@meshviz/identity/certify-client';
import { POLICY_DEFAULTS } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { LocalIdentity } from '../identity/local-identity.js';
import { LineSplitter } from './ndjson.js';

/** How log lines name the service and its stream, e.g. "policy service", "policy stream", "the current policy". */
export interface StreamWording {
  readonly service: string;
  readonly stream: string;
  /** What stays in force when a message is refused. */
  readonly kept: string;
}

export interface ControlStreamOptions {
  readonly addr: HostPort;
  /** The identity the service must present. */
  readonly serverName: string;
  /** The request path, already encoded. */
  readonly path: string;
  readonly identity: LocalIdentity;
  readonly log: Logger;
  readonly wording: StreamWording;
  /** A line longer than this is refused (bounds what a broken peer can make the proxy hold). */
  readonly maxLineBytes: number;
  /**
   * Takes one line: returns what was wrong with it, or undefined once it is applied. A refused line ends the stream
   * (logged with the problem) and the client connects again.
   */
  readonly onLine: (line: string) => string | undefined;
  /** Backoff and silence limits; POLICY_DEFAULTS unless a test shortens them. */
  readonly reconnectMinMs?: number | undefined;
  readonly reconnectMaxMs?: number | undefined;
  readonly idleMs?: number | undefined;
}

export interface ControlStream {
  stop(): void;
}

const MAX_REFUSAL_BYTES = 4096;

/**
 * The proxy's client of a control-plane stream (the inbound policy, the destinations table): NDJSON over mutual
 * TLS. Once this proxy holds a certificate it opens `GET <path>` over TLS 1.3, presenting that certificate, and
 * checks the server against the trust anchors and its identity against `serverName` before reading a byte. Each
 * line goes to `onLine`; a line it refuses (or one over `maxLineBytes`) is logged with what was wrong, whatever
 * was in force stays, and the stream is opened again. A stream silent for `idleMs` is dropped; every failure
 * reconnects with jittered exponential backoff, reset by the first line applied.
 */
export function startControlStream(options: ControlStreamOptions): ControlStream {
  const { addr, serverName, path, identity, wording } = options;
  const minMs = options.reconnectMinMs ?? POLICY_DEFAULTS.reconnectMinMs;
  const maxMs = options.reconnectMaxMs ?? POLICY_DEFAULTS.reconnectMaxMs;
  const idleMs = options.idleMs ?? POLICY_DEFAULTS.streamIdleMs;
  const log = options.log;
  const malformed = `malformed ${wording.stream} message; keeping ${wording.kept} and reconnecting`;
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
        checkServerIdentity: expectServiceIdentity(wording.service, serverName),
        headers: { accept: 'application/x-ndjson' },
      });
    } catch (error) {
      // Only options Node refuses get here (the certificate or key no longer loads); try again later.
      log.warn({ reason: (error as Error).message }, `${wording.service} unreachable; retrying`);
      schedule();
      return;
    }
    const onIdle = (): void => end('warn', { idleMs }, `the ${wording.stream} was silent too long; reconnecting`);
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
          end('warn', { status: res.statusCode, contentType: type, body }, `the ${wording.service} did not open a ${wording.stream}`);
        };
        res.on('end', refused);
        res.on('error', refused);
        return;
      }
      log.info(`${wording.stream} open`);
      const lines = new LineSplitter(options.maxLineBytes);
      res.on('data', (chunk: Buffer) => {
        alive();
        let complete: string[];
        try {
          complete = lines.push(chunk);
        } catch (error) {
          end('error', { problem: (error as Error).message }, malformed);
          return;
        }
        for (const line of complete) {
          if (ended) return;
          const problem = options.onLine(line);
          if (problem !== undefined) {
            end('error', { problem, line: line.length > 200 ? `${line.slice(0, 200)}…` : line }, malformed);
          } else {
            failures = 0;
          }
        }
      });
      res.on('end', () => end('warn', {}, `the ${wording.service} ended the stream; reconnecting`));
      res.on('error', (error) => end('warn', { reason: error.message }, `the ${wording.stream} failed; reconnecting`));
    });
    req.on('error', (error) => end('warn', { reason: error.message }, `${wording.service} unreachable; retrying`));
    req.end();
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

/** Parses a line as JSON and checks it against a schema; returns the message or what was wrong with it. */
export function parseLine<T>(
  line: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } },
  schemaName: string,
): { message: T } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(message)'}: ${i.message}`);
    return { problem: `does not match ${schemaName}: ${issues.join('; ')}` };
  }
  return { message: parsed.data };
}

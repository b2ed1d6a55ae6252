import { STREAMS, TapJoin } from '@meshviz/api-client';
import type { TapEvent } from '@meshviz/mesh-types';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs } from '../table.js';
import { parseTapArgs, requireToken, TAP_HELP } from './tap-args.js';

const HELP = `Usage: meshviz tap [resource] [options]

Streams live requests from the proxies: one line per finished request (or one JSON object with -o json).
${TAP_HELP}`;

const peer = (p: TapEvent['source']) => (p.pod ? `${p.namespace}/${p.pod}` : p.addr || '?');

/** One line per request, once its three parts have arrived. */
function line(init: TapEvent, status: number | null, end: TapEvent): string {
  const r = init.requestInit!;
  const e = end.responseEnd!;
  const outcome = e.reset ? `reset(${e.reset})` : String(status ?? '-');
  const grpc = e.grpcStatus !== null ? ` grpc=${e.grpcStatus}` : '';
  const arrow = init.direction === 'inbound' ? `${peer(init.destination)} ← ${peer(init.source)}` : `${peer(init.source)} → ${peer(init.destination)}`;
  return `${new Date(r.timestampMs).toISOString()} ${init.direction.padEnd(8)} ${arrow}  ${r.method} ${r.authority}${r.path}  ${outcome}${grpc}  ${fmtMs(e.sinceRequestInitMs)}  ${e.responseBytes}B${tlsOf(init)}`;
}

/** `tls=true` on a mutual TLS hop (as Linkerd's tap prints it), else `tls=no_identity(<reason>)`; nothing when unknown. */
function tlsOf(e: TapEvent): string {
  if (!e.tls) return '';
  return e.tls === 'true' ? '  tls=true' : `  tls=${e.tls}(${e.noTlsReason ?? ''})`;
}

export async function runTap(argv: string[], env: CliEnv): Promise<number> {
  const args = parseTapArgs(argv, env);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const token = requireToken(args.token);
  const join = new TapJoin();
  try {
    await apiAt(args.api).stream(STREAMS.tap, { query: args.params }, token, abort.signal, (event) => {
      if (event.name === 'drops') {
        const d = event.data;
        process.stderr.write(`meshviz tap: ${d.count} events dropped by ${d.pod} (reading too slowly)\n`);
      } else if (event.name === 'upstream-error') {
        process.stderr.write(`meshviz tap: a proxy stream ended: ${JSON.stringify(event.data)}\n`);
      } else if (event.name === 'tap') {
        const done = join.add(event.data);
        if (!done) return;
        process.stdout.write(
          args.output === 'json'
            ? `${JSON.stringify({ ...done.init, responseInit: { status: done.status }, responseEnd: done.end.responseEnd })}\n`
            : `${line(done.init, done.status, done.end)}\n`,
        );
      }
    });
  } catch (err) {
    if (abort.signal.aborted) return 0;
    throw err;
  }
  return 0;
}

import { TapDrops, type TapEvent, TapEvent as TapEventSchema } from '@meshviz/mesh-types';
import type { CliEnv } from '../config.js';
import { readSse } from '../sse-client.js';
import { fmtMs } from '../table.js';
import { openStream, parseTapArgs, TAP_HELP } from './tap-args.js';

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
  return `${new Date(r.timestampMs).toISOString()} ${init.direction.padEnd(8)} ${arrow}  ${r.method} ${r.authority}${r.path}  ${outcome}${grpc}  ${fmtMs(e.sinceRequestInitMs)}  ${e.responseBytes}B`;
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
  const open = new Map<string, { init: TapEvent; status: number | null }>();
  try {
    const body = await openStream(args.api, '/api/v1/tap', args.params, args.token, abort.signal);
    await readSse(body, (event, data) => {
      if (event === 'drops') {
        const d = TapDrops.parse(JSON.parse(data));
        process.stderr.write(`meshviz tap: ${d.count} events dropped by ${d.pod} (reading too slowly)\n`);
      } else if (event === 'upstream-error') {
        process.stderr.write(`meshviz tap: a proxy stream ended: ${data}\n`);
      } else if (event === 'tap') {
        const e = TapEventSchema.parse(JSON.parse(data));
        if (e.requestInit) open.set(e.id, { init: e, status: null });
        else if (e.responseInit) {
          const o = open.get(e.id);
          if (o) o.status = e.responseInit.status;
        } else {
          const o = open.get(e.id);
          open.delete(e.id);
          if (!o) return;
          process.stdout.write(
            args.output === 'json'
              ? `${JSON.stringify({ ...o.init, responseInit: { status: o.status }, responseEnd: e.responseEnd })}\n`
              : `${line(o.init, o.status, e)}\n`,
          );
        }
      }
    });
  } catch (err) {
    if (abort.signal.aborted) return 0;
    throw err;
  }
  return 0;
}

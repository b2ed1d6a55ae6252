import { STREAMS } from '@meshviz/api-client';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs, fmtPercent, renderTable } from '../table.js';
import { parseTapArgs, requireToken, TAP_HELP } from './tap-args.js';

const HELP = `Usage: meshviz top [resource] [options]

A live table of requests grouped by source, destination, method and path (refreshed every second).
${TAP_HELP}`;

export async function runTop(argv: string[], env: CliEnv): Promise<number> {
  const args = parseTapArgs(argv, env);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stdout.isTTY === true;
  const token = requireToken(args.token);
  try {
    await apiAt(args.api).stream(STREAMS.top, { query: args.params }, token, abort.signal, (event) => {
      if (event.name !== 'top') return;
      const snap = event.data;
      if (args.output === 'json') {
        process.stdout.write(`${JSON.stringify(snap)}\n`);
        return;
      }
      const rows = snap.rows.map((r) => [r.source, r.destination, r.method, r.path, String(r.count), fmtMs(r.bestMs), fmtMs(r.worstMs), fmtMs(r.lastMs), fmtPercent(r.successRate)]);
      const table = renderTable(['SOURCE', 'DESTINATION', 'METHOD', 'PATH', 'COUNT', 'BEST', 'WORST', 'LAST', 'SUCCESS'], rows, new Set([4, 5, 6, 7, 8]));
      // In a terminal, redraw in place like top(1); in a pipe, print each snapshot.
      process.stdout.write(`${tty ? '\u001b[2J\u001b[H' : '\n'}${table}\n(${snap.events} requests, ${snap.drops} dropped)\n`);
    });
  } catch (err) {
    if (abort.signal.aborted) return 0;
    throw err;
  }
  return 0;
}

import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { revision } from '../../../bench/revision.mjs';

const RESULTS = new URL('../../results/', import.meta.url);
const BENCH_RESULTS = new URL('../../../bench/results/', import.meta.url);

/** The command that writes the committed frame-rate figures (bench/results/web-*.json). */
export const WEB_BENCH_COMMAND = 'npm run bench:web -w @meshviz/playwright';

/**
 * Writes a frame-rate spec's figures to playwright/results/<name>.json (every run, not committed) and, when the
 * specs run as the web benchmark (BENCH_WEB=1, `npm run bench:web`), to bench/results/web-<name>.json with the
 * command, the commit and the load average at the time: the committed figures are always written by that command.
 */
export async function writeFpsResult(name: string, result: Record<string, unknown>): Promise<void> {
  const text = (body: object) => `${JSON.stringify(body, null, 2)}\n`;
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL(`${name}.json`, RESULTS), text(result));
  if (process.env.BENCH_WEB !== '1') return;
  const loadAverage = os.loadavg().map((l) => Number(l.toFixed(2)));
  await writeFile(new URL(`web-${name}.json`, BENCH_RESULTS), text({ command: WEB_BENCH_COMMAND, revision: revision(), loadAverage, ...result }));
}

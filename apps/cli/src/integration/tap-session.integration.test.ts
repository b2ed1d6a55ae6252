import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type MeshFiles,
  meshFiles,
  type RunningProcess,
  type RunningProxy,
  send,
  sleep,
  startApi,
  startApp,
  startProxy,
  tapSubscriptions,
} from './tap-stack.js';

/**
 * THE LONG ONE: a single tap session held open for five minutes of steady traffic, through the real `meshviz tap`
 * command, the real API and a real proxy. It sits in a file of its own so vitest runs it beside the other test
 * files instead of after them.
 */

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');
const SESSION_MS = 5 * 60_000;
const SLICE_MS = 10_000;
const RPS = 10;
const CLIENT_TOKEN = randomBytes(24).toString('base64url');
const PROXY_TOKEN = randomBytes(24).toString('base64url');

describe('a five-minute tap session (integration, long)', () => {
  let files: MeshFiles | undefined;
  let app: { addr: string; close(): Promise<void> } | undefined;
  let proxy: RunningProxy | undefined;
  let api: (RunningProcess & { url: string }) | undefined;

  beforeAll(async () => {
    files = await meshFiles();
    await files.writeDestinations({ services: {} });
    app = await startApp((req, res) => {
      req.resume();
      res.end('ok');
    });
    proxy = await startProxy({
      namespace: 'shop',
      deployment: 'catalog',
      pod: 'catalog-0',
      app: app.addr,
      destinationsFile: files.destinations,
      tapToken: PROXY_TOKEN,
    });
    await files.writeTargets([proxy]);
    api = await startApi({ targetsFile: files.targets, clientToken: CLIENT_TOKEN, proxyToken: PROXY_TOKEN });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), proxy?.stop()]);
    await app?.close();
    await files?.remove();
  });

  it(
    'keeps streaming every request while traffic flows, and stops only when the client does',
    async () => {
      const tapped = proxy!;
      const cli = spawn(
        process.execPath,
        [MAIN, 'tap', 'deploy/catalog', '-n', 'shop', '--max-rps', '100', '-o', 'json', '--api', api!.url, '--token', CLIENT_TOKEN],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      cli.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
      let running = true;
      void exited.then(() => {
        running = false;
      });
      /** Finished requests as `meshviz tap -o json` prints them, with when this process read each line. */
      const lines: Array<{ at: number; path: string; status: number | undefined }> = [];
      createInterface({ input: cli.stdout }).on('line', (line) => {
        const request = JSON.parse(line) as { requestInit?: { path: string }; responseInit?: { status: number } };
        lines.push({ at: performance.now(), path: request.requestInit?.path ?? '', status: request.responseInit?.status });
      });
      await eventually(async () => expect(await tapSubscriptions(tapped)).toBe(1), 10_000).catch((error: Error) => {
        // Everything the three processes said, so a run that never subscribes can be read after the fact.
        const tail = (text: string) => text.split('\n').slice(-30).join('\n');
        throw new Error(
          `meshviz tap did not subscribe within 10 s (${error.message}); tap ${running ? 'still running' : 'exited'}\n` +
            `--- meshviz tap stderr:\n${stderr}\n--- API log:\n${tail(api!.output())}\n--- proxy log:\n${tail(tapped.output())}`,
        );
      });

      // Steady traffic, sent on schedule for the whole session.
      const started = performance.now();
      const sent: string[] = [];
      const failures: string[] = [];
      while (performance.now() - started < SESSION_MS) {
        const p = `/steady/${sent.length}`;
        sent.push(p);
        send(tapped.addresses.inbound, { path: p }).then(
          (r) => r.status !== 200 && failures.push(`${p}: ${r.status}`),
          (e: Error) => failures.push(`${p}: ${e.message}`),
        );
        await sleep(started + sent.length * (1000 / RPS) - performance.now());
      }
      await sleep(1_000);

      expect(failures).toEqual([]);
      expect(running, `meshviz tap exited by itself: ${stderr}`).toBe(true);
      expect(await tapSubscriptions(tapped)).toBe(1);
      // Events in every 10 s slice, the last one included.
      const slices = Array.from({ length: SESSION_MS / SLICE_MS }, (_, i) =>
        lines.filter((l) => l.at >= started + i * SLICE_MS && l.at < started + (i + 1) * SLICE_MS).length,
      );
      expect(slices.filter((n) => n === 0), `requests per slice: ${slices.join(' ')}`).toEqual([]);
      // Well within the cap, so every request is there, exactly once, with its status.
      expect(lines.map((l) => l.path).sort()).toEqual([...sent].sort());
      expect(lines.every((l) => l.status === 200)).toBe(true);
      expect(stderr).toBe('');

      // Ctrl-C: the command ends cleanly and the proxy's subscription goes within a second.
      cli.kill('SIGINT');
      const stopped = performance.now();
      expect(await exited).toBe(0);
      await eventually(async () => expect(await tapSubscriptions(tapped)).toBe(0), 2_000, 10);
      expect(performance.now() - stopped).toBeLessThan(1_000);
    },
    SESSION_MS + 90_000,
  );
});

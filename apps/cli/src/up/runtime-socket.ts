import { rm, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { LiveMesh } from './live.js';
import { RunRequest } from './live.js';
import type { Progress } from './progress.js';

/** The running mesh's own socket (in its run directory, this user only): where `meshviz run` asks for a workload. */
export const runtimeSocketOf = (runDir: string) => path.join(runDir, 'runtime.sock');

/** One line of the run stream: NDJSON. */
export type RunEvent =
  | { type: 'ready'; pod: string; address: string; logFile: string; logOffset: number }
  | { type: 'error'; message: string }
  | { type: 'removed' };

async function body(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * POST /v1/run adds the workload the body describes and answers a stream: `ready` once it serves; the workload
 * stays while the stream stays open and is taken out when it closes (`meshviz run` ended, however it ended).
 * DELETE /v1/run/<namespace>/<name> takes it out at once and answers when it is gone.
 */
export async function serveRuntime(socket: string, live: LiveMesh, progress: Progress): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify({ type: 'error', message: err.message } satisfies RunEvent)}\n`);
    });
  });
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const del = /^\/v1\/run\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && del) {
      const removed = await live.remove(del[1]!, del[2]!);
      res.writeHead(removed ? 200 : 404, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify(removed ? { type: 'removed' } : { type: 'error', message: `${del[1]}/${del[2]} was not added by meshviz run` })}\n`);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/run') {
      res.writeHead(404).end();
      return;
    }
    const parsed = RunRequest.safeParse(await body(req));
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      res.writeHead(400, { 'content-type': 'application/x-ndjson' }).end(`${JSON.stringify({ type: 'error', message })}\n`);
      return;
    }
    const { namespace, name } = parsed.data;
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    let closed = false;
    res.once('close', () => {
      closed = true;
      void live.remove(namespace, name).then((removed) => {
        if (removed) progress.step(`meshviz run ended: ${namespace}/${name} is out of the mesh`);
      });
    });
    progress.step(`meshviz run: adding ${namespace}/${name} (${parsed.data.command.join(' ')})`);
    // Where this run's output starts in the replica's log (an earlier run of the same name wrote before it).
    const logFile = path.join(path.dirname(socket), 'logs', `${namespace}_${name}-0_app.log`);
    const logOffset = (await stat(logFile).catch(() => null))?.size ?? 0;
    const r = await live.add(parsed.data);
    if (closed) return;
    progress.done(`meshviz run: ${namespace}/${r.pod} ready beside its proxy at ${r.host}:${r.appPort}`);
    res.write(`${JSON.stringify({ type: 'ready', pod: r.pod, address: `${r.host}:${r.appPort}`, logFile, logOffset } satisfies RunEvent)}\n`);
  };
  await rm(socket, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  return {
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await live.removeAll();
    },
  };
}

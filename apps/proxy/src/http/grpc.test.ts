import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoClient, startGrpcEcho } from '../testing/grpc-fixtures.js';
import { eventually } from '../testing/http-fixtures.js';
import { CATALOG, type Mesh, scrape, startMesh } from '../testing/mesh.js';
import { total } from '../testing/prom-text.js';

const run = promisify(execFile);

/** Debian installs python3-grpcio for /usr/bin/python3; a python3 earlier on PATH may lack it. */
const python = ['python3', '/usr/bin/python3'].find((bin) => spawnSync(bin, ['-c', 'import grpc']).status === 0);

type Client = InstanceType<typeof EchoClient>;

function unary(client: Client, text: string): Promise<{ error: grpc.ServiceError | null; reply?: Buffer; trailers?: grpc.Metadata }> {
  return new Promise((resolve) => {
    let trailers: grpc.Metadata | undefined;
    let result: { error: grpc.ServiceError | null; reply?: Buffer } | undefined;
    // The callback and the status (which holds the trailers) may come in either order.
    const settle = () => {
      if (result && trailers) resolve({ ...result, trailers });
    };
    const call = client.makeUnaryRequest('/test.Echo/Unary', (b: Buffer) => b, (b: Buffer) => b, Buffer.from(text), (error, reply) => {
      result = { error, reply };
      settle();
    });
    call.on('status', (status: grpc.StatusObject) => {
      trailers = status.metadata;
      settle();
    });
  });
}

describe('gRPC through outbound → inbound', () => {
  let app: { addr: string; close(): Promise<void> };
  let mesh: Mesh;
  let client: Client;

  beforeAll(async () => {
    app = await startGrpcEcho();
    mesh = await startMesh({ apps: [app.addr], routes: [{ name: 'unary', path: '/test.Echo/Unary' }] });
    // The channel dials the outbound proxy but names the service, as an app in the mesh does.
    client = new EchoClient(mesh.client.addresses.outbound, grpc.credentials.createInsecure(), {
      'grpc.default_authority': CATALOG,
    });
  });
  afterAll(async () => {
    client.close();
    await mesh.close();
    await app.close();
  });

  it('unary calls: replies, statuses, messages and trailers arrive intact', async () => {
    const ok = await unary(client, 'hello');
    expect(ok.error).toBeNull();
    expect(ok.reply?.toString()).toBe('echo:hello');
    expect(ok.trailers?.get('x-trailer')).toEqual(['unary']);

    const failed = await unary(client, 'fail');
    expect(failed.error?.code).toBe(grpc.status.INTERNAL);
    expect(failed.error?.details).toBe('boom');
    expect(failed.error?.metadata.get('x-trailer')).toEqual(['failed']);

    const missing = await unary(client, 'missing');
    expect(missing.error?.code).toBe(grpc.status.NOT_FOUND);
  });

  it('server, client and bidirectional streaming', async () => {
    const items: string[] = [];
    const serverStream = client.makeServerStreamRequest('/test.Echo/ServerStream', (b: Buffer) => b, (b: Buffer) => b, Buffer.from('50'));
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      serverStream.on('data', (m: Buffer) => items.push(m.toString()));
      serverStream.on('status', resolve);
    });
    expect(status.code).toBe(grpc.status.OK);
    expect(items).toHaveLength(50);
    expect(items[49]).toBe('item-49');
    expect(status.metadata.get('x-trailer')).toEqual(['sent-50']);

    const counted = await new Promise<string>((resolve, reject) => {
      const call = client.makeClientStreamRequest('/test.Echo/ClientStream', (b: Buffer) => b, (b: Buffer) => b, (error, reply) =>
        error ? reject(error) : resolve(String(reply)),
      );
      for (let i = 0; i < 30; i++) call.write(Buffer.from(`m${i}`));
      call.end();
    });
    expect(counted).toBe('30');

    const bidi = client.makeBidiStreamRequest('/test.Echo/Bidi', (b: Buffer) => b, (b: Buffer) => b);
    const echoed: string[] = [];
    bidi.on('data', (m: Buffer) => {
      echoed.push(m.toString());
      // Ping-pong: the next message only goes once the previous answer came back through both proxies.
      if (echoed.length < 10) bidi.write(Buffer.from(`p${echoed.length}`));
      else bidi.end();
    });
    const bidiStatus = new Promise<grpc.StatusObject>((resolve) => bidi.on('status', resolve));
    bidi.write(Buffer.from('p0'));
    expect((await bidiStatus).code).toBe(grpc.status.OK);
    expect(echoed).toEqual(Array.from({ length: 10 }, (_, i) => `re:p${i}`));
  });

  it('labels responses with grpc_status and classifies failing statuses as failures', async () => {
    await eventually(async () => {
      const s = await scrape(mesh.client);
      const out = { direction: 'outbound', authority: CATALOG };
      expect(total(s, METRIC.responseTotal, { ...out, status_code: '200', grpc_status: '13', classification: 'failure' })).toBeGreaterThanOrEqual(1);
      expect(total(s, METRIC.responseTotal, { ...out, grpc_status: '5', classification: 'success' })).toBeGreaterThanOrEqual(1);
      expect(total(s, METRIC.responseTotal, { ...out, grpc_status: '0', classification: 'success' })).toBeGreaterThanOrEqual(4);
      expect(total(s, `${METRIC.responseLatencyMs}_count`, { ...out, grpc_status: '13' })).toBeGreaterThanOrEqual(1);
      expect(total(s, METRIC.routeResponseTotal, { dst: CATALOG, rt_route: 'unary', classification: 'failure' })).toBeGreaterThanOrEqual(1);
      const inbound = await scrape(mesh.replicas[0]!);
      expect(total(inbound, METRIC.responseTotal, { direction: 'inbound', grpc_status: '13', classification: 'failure' })).toBeGreaterThanOrEqual(1);
    });
  });

  it('serves python grpcio: unary and server streaming with statuses and trailers', async (ctx) => {
    if (!python) return ctx.skip('python3-grpcio is not installed (apt-get install python3-grpcio)');
    const script = fileURLToPath(new URL('../testing/grpc_client.py', import.meta.url));
    const { stdout } = await run(python, [script, mesh.client.addresses.outbound, CATALOG]);
    const result = JSON.parse(stdout) as Record<string, { reply?: string; code?: number; details?: string; items?: string[]; trailers: Record<string, string> }>;
    expect(result.unary).toMatchObject({ reply: 'echo:from-python', trailers: { 'x-trailer': 'unary' } });
    expect(result.failed).toMatchObject({ code: 13, details: 'boom', trailers: { 'x-trailer': 'failed' } });
    expect(result.stream?.items).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
    expect(result.stream?.code).toBe(0);
    expect(result.stream?.trailers).toMatchObject({ 'x-trailer': 'sent-5' });
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import {
  createCsr,
  createIssuer,
  createTrustAnchor,
  inspectCertificate,
  issueWorkloadToken,
  verifyChain,
  writeTrustFiles,
} from '@meshviz/identity';
import { CertifyResponse, identityName, identityServiceName, type WorkloadIdentity } from '@meshviz/mesh-types';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlConfig } from './config.js';
import { type Control, startControl } from './control.js';
import { captureLog, eventually } from './testing/capture-log.js';
import { postIdentity } from './testing/https-client.js';
import { opensslVerify } from './testing/openssl.js';
import { makeTrustFixture, type TrustFixture } from './testing/trust-dir.js';

const trustDomain = 'cluster.local';
const web: WorkloadIdentity = { serviceAccount: 'web', namespace: 'shop', trustDomain };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function configFor(fx: TrustFixture): ControlConfig {
  return {
    identity: {
      listen: { host: '127.0.0.1', port: 0 },
      trustDomain,
      dir: fx.dir,
      pollIntervalMs: 100,
      leafLifetimeMs: 24 * 60 * 60 * 1000,
      clockSkewMs: 20_000,
      tokenValidator: { kind: 'local', keyFile: fx.tokenKeyFile },
    },
    admin: { listen: { host: '127.0.0.1', port: 0 } },
    logLevel: 'debug',
    parentPid: undefined,
    policy: undefined,
    destination: undefined,
  };
}

async function start(fx: TrustFixture, opts: { waitReady?: boolean } = {}) {
  const captured = captureLog();
  const control = await startControl(configFor(fx), { log: captured.log });
  cleanups.push(() => control.shutdown());
  if (opts.waitReady !== false) await eventually(() => (control.ready() ? true : undefined), 'the control plane to be ready');
  return { control, ...captured };
}

interface CertifyCall {
  identity?: string;
  token?: string;
  csrPem?: string;
}

/** A certify call as a proxy makes it, over TLS trusting only `anchorsPem`. */
async function certify(control: Control, anchorsPem: string, call: CertifyCall) {
  const body = JSON.stringify({ identity: call.identity, token: call.token, certificateSigningRequest: call.csrPem });
  const answer = await postIdentity(control.addresses.identity!, '/v1/certify', body, { anchorsPem, trustDomain });
  return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
}

async function webCall(fx: TrustFixture): Promise<Required<CertifyCall> & { keyPem: string }> {
  const { keyPem, csrPem } = await createCsr(web);
  return { identity: identityName(web), token: issueWorkloadToken(fx.tokenKey, web), csrPem, keyPem };
}

async function metricsText(control: Control): Promise<string> {
  return (await fetch(`http://${control.addresses.admin}/metrics`)).text();
}

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('identity service', () => {
  it('certifies a workload over TLS 1.3: the leaf chains to the anchor by our check and by openssl', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(fx.cleanup);
    const { control, entries } = await start(fx);
    const call = await webCall(fx);
    const before = Date.now();
    const answer = await certify(control, fx.anchor.certPem, call);

    expect(answer.status).toBe(200);
    expect(answer.serverNames).toEqual([identityServiceName(trustDomain)]);
    const response = CertifyResponse.parse(answer.json);
    expect(response.intermediateCertificates).toEqual([fx.issuer.certPem]);
    expect(verifyChain(response.leafCertificate, response.intermediateCertificates, [fx.anchor.certPem])).toEqual({ ok: true });
    expect(await opensslVerify(response.leafCertificate, fx.issuer.certPem, fx.anchor.certPem)).toMatch(/OK/);
    const leaf = inspectCertificate(response.leafCertificate);
    expect(leaf.dnsNames).toEqual([identityName(web)]);
    expect(new Date(response.validUntil)).toEqual(leaf.notAfter);
    expect(leaf.notAfter.getTime() - before).toBeGreaterThan(24 * 3600_000 - 5_000);
    // The proxy's key and the returned chain make a usable TLS context.
    expect(() => createSecureContext({ key: call.keyPem, cert: `${response.leafCertificate}${response.intermediateCertificates.join('')}` })).not.toThrow();

    expect(metricValue(await metricsText(control), 'identity_certify_requests_total{result="ok"}')).toBe(1);
    const logged = JSON.stringify(entries);
    expect(logged).not.toContain(call.token);
    expect(logged).not.toContain('PRIVATE KEY');
    expect(entries.some((entry) => entry.msg === 'certified' && entry.identity === identityName(web))).toBe(true);
  });

  it('refuses a token of another workload (403), a bad token (401) and bad requests (400), counting each', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(fx.cleanup);
    const { control } = await start(fx);
    const anchors = fx.anchor.certPem;
    const call = await webCall(fx);

    const otherToken = issueWorkloadToken(fx.tokenKey, { namespace: 'shop', serviceAccount: 'admin' });
    let answer = await certify(control, anchors, { ...call, token: otherToken });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({
      error: {
        code: 'IDENTITY_PERMISSION_DENIED',
        message: `the token belongs to service account admin in namespace shop, not to ${identityName(web)}`,
      },
    });

    const forged = issueWorkloadToken(Buffer.alloc(32, 7), web);
    answer = await certify(control, anchors, { ...call, token: forged });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'IDENTITY_UNAUTHENTICATED', message: 'workload token refused: bad signature' } });

    const adminCsr = (await createCsr({ ...web, serviceAccount: 'admin' })).csrPem;
    answer = await certify(control, anchors, { ...call, csrPem: adminCsr });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: expect.stringMatching(/DNS SAN admin\.shop/) } });

    answer = await certify(control, anchors, { ...call, csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: expect.stringMatching(/CSR cannot be parsed/) } });

    answer = await certify(control, anchors, { ...call, identity: 'web.shop' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { message: expect.stringMatching(/"web\.shop" is not a meshviz identity name/) } });

    answer = await certify(control, anchors, { ...call, identity: identityName({ ...web, trustDomain: 'other.org' }) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { message: expect.stringMatching(/in trust domain other\.org; this identity service certifies cluster\.local/) } });

    answer = await certify(control, anchors, { identity: call.identity, csrPem: call.csrPem });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { message: expect.stringMatching(/not a CertifyRequest \(token: /) } });

    const raw = await postIdentity(control.addresses.identity!, '/v1/certify', '{"identity":', { anchorsPem: anchors, trustDomain });
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body)).toMatchObject({ error: { code: 'IDENTITY_INVALID_ARGUMENT' } });

    const huge = JSON.stringify({ ...call, token: 'x'.repeat(70 * 1024) });
    const tooLarge = await postIdentity(control.addresses.identity!, '/v1/certify', huge, { anchorsPem: anchors, trustDomain });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: 'the body is larger than 64 KiB' } });

    const metrics = await metricsText(control);
    expect(metricValue(metrics, 'identity_certify_requests_total{result="permission_denied"}')).toBe(1);
    expect(metricValue(metrics, 'identity_certify_requests_total{result="unauthenticated"}')).toBe(1);
    expect(metricValue(metrics, 'identity_certify_requests_total{result="invalid_argument"}')).toBe(7);
    expect(metricValue(metrics, 'identity_certify_requests_total{result="ok"}')).toBe(0);
    expect(metricValue(metrics, 'identity_issuer_expiration_timestamp_seconds')).toBe(
      inspectCertificate(fx.issuer.certPem).notAfter.getTime() / 1000,
    );
    expect(metricValue(metrics, 'identity_anchor_expiration_timestamp_seconds')).toBe(inspectCertificate(fx.anchor.certPem).notAfter.getTime() / 1000);
    expect(metrics).toContain('process_cpu_seconds_total');
  });

  it('is not ready until the trust files exist, then serves without a restart', async () => {
    const fx = await makeTrustFixture(trustDomain, { write: false });
    cleanups.push(fx.cleanup);
    const { control, entries } = await start(fx, { waitReady: false });
    const admin = `http://${control.addresses.admin}`;

    expect((await fetch(`${admin}/live`)).status).toBe(200);
    expect((await fetch(`${admin}/ready`)).status).toBe(503);
    expect(entries.some((entry) => entry.msg === 'trust files refused; no issuer yet' && String(entry.file).endsWith('ca.crt'))).toBe(true);
    // Without an issuer there is no serving certificate, so no proxy can complete a handshake.
    await expect(certify(control, fx.anchor.certPem, await webCall(fx))).rejects.toThrow();

    await writeTrustFiles(fx.dir, { anchor: fx.anchor, issuer: fx.issuer });
    await eventually(async () => ((await fetch(`${admin}/ready`)).status === 200 ? true : undefined), '/ready to answer 200');
    const answer = await certify(control, fx.anchor.certPem, await webCall(fx));
    expect(answer.status).toBe(200);
  });

  it('takes a new issuer from disk without a restart, and keeps the last good one when a file is broken', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(fx.cleanup);
    const { control, entries } = await start(fx);
    const anchors = fx.anchor.certPem;
    const intermediateOf = async () => CertifyResponse.parse((await certify(control, anchors, await webCall(fx))).json).intermediateCertificates[0];
    expect(await intermediateOf()).toBe(fx.issuer.certPem);

    const next = await createIssuer(fx.anchor, { trustDomain });
    await writeTrustFiles(fx.dir, { anchor: fx.anchor, issuer: next });
    await eventually(async () => ((await intermediateOf()) === next.certPem ? true : undefined), 'leaves from the new issuer');
    const { json } = await certify(control, anchors, await webCall(fx));
    const response = CertifyResponse.parse(json);
    expect(verifyChain(response.leafCertificate, response.intermediateCertificates, [anchors])).toEqual({ ok: true });
    expect(verifyChain(response.leafCertificate, [fx.issuer.certPem], [anchors]).ok).toBe(false);

    // A broken certificate, then an issuer of a stranger anchor: both refused, naming issuer.crt.
    const refusedBefore = metricValue(await metricsText(control), 'identity_issuer_reload_total{result="refused"}') ?? 0;
    await writeFile(join(fx.dir, 'issuer.crt'), 'not a certificate\n');
    await eventually(
      async () => ((metricValue(await metricsText(control), 'identity_issuer_reload_total{result="refused"}') ?? 0) > refusedBefore ? true : undefined),
      'the broken issuer to be refused',
    );
    expect(await intermediateOf()).toBe(next.certPem);

    const stranger = await createIssuer(await createTrustAnchor({ trustDomain }), { trustDomain });
    await writeFile(join(fx.dir, 'issuer.key'), stranger.keyPem);
    await writeFile(join(fx.dir, 'issuer.crt'), stranger.certPem);
    await eventually(
      () => (entries.some((entry) => String(entry.err && (entry.err as { message: string }).message).includes('does not chain to the anchors')) ? true : undefined),
      'the stranger issuer to be refused',
    );
    expect(await intermediateOf()).toBe(next.certPem);
    const refusals = entries.filter((entry) => entry.msg === 'trust files refused; the last good issuer keeps serving');
    expect(refusals.map((entry) => entry.file)).toContain(join(fx.dir, 'issuer.crt'));
    expect((await fetch(`http://${control.addresses.admin}/ready`)).status).toBe(200);
  });

  it('re-issues its own serving certificate when the anchors rotate, so proxies trusting only the new anchor connect', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(fx.cleanup);
    const { control } = await start(fx);
    const newAnchor = await createTrustAnchor({ trustDomain });
    const newIssuer = await createIssuer(newAnchor, { trustDomain });
    // Both anchors in the bundle while proxies move over; the issuer is already the new one.
    await writeTrustFiles(fx.dir, { anchor: { certPem: `${fx.anchor.certPem}${newAnchor.certPem}` }, issuer: newIssuer });
    const answer = await eventually(async () => {
      try {
        return await certify(control, newAnchor.certPem, await webCall(fx));
      } catch {
        return undefined;
      }
    }, 'a handshake trusting only the new anchor');
    expect(answer.status).toBe(200);
    expect(CertifyResponse.parse(answer.json).intermediateCertificates).toEqual([newIssuer.certPem]);
  });
});

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTrustAnchor, splitPemBundle } from '@meshviz/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog, eventually } from '../testing/capture-log.js';
import { workloadCert } from '../testing/stream-client.js';
import { makeTrustFixture, type TrustFixture } from '../testing/trust-dir.js';
import { openAnchorsFile } from './anchors-file.js';

let fx: TrustFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
});

describe('the anchors file of a process without identity', () => {
  it('loads a bundle, follows a rotation, refuses a broken file naming it and keeps the last good bundle', async () => {
    fx = await makeTrustFixture('cluster.local', { write: false });
    const file = join(fx.root, 'ca-bundle.crt');
    const { log, entries } = captureLog();
    const anchors = await openAnchorsFile({ file, pollIntervalMs: 50, log });
    try {
      expect(anchors.current()).toBeUndefined();
      await expect(anchors.read()).rejects.toThrow(`${file}: missing`);
      expect(entries.some((e) => e.msg === 'trust anchors refused; none loaded yet' && e.file === file)).toBe(true);

      await writeFile(file, fx.anchor.certPem);
      expect(await anchors.read()).toEqual([fx.anchor.certPem]);
      const seen: number[] = [];
      anchors.onChange((bundle) => seen.push(bundle.length));
      const next = await createTrustAnchor({ trustDomain: 'cluster.local' });
      await writeFile(file, `${fx.anchor.certPem}${next.certPem}`);
      await eventually(() => (seen.includes(2) ? true : undefined), 'the rotated bundle');
      expect(anchors.current()).toEqual([fx.anchor.certPem, next.certPem]);

      await writeFile(file, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      await expect(anchors.read()).resolves.toEqual([fx.anchor.certPem, next.certPem]);
      await writeFile(file, 'no certificate here\n');
      await anchors.read();
      expect(entries.filter((e) => e.msg === 'trust anchors refused; the last good ones stay in force').length).toBeGreaterThanOrEqual(2);
      await rm(file);
      expect(await anchors.read()).toEqual([fx.anchor.certPem, next.certPem]);
    } finally {
      anchors.close();
    }
  });

  it('refuses a bundle holding a certificate that is not a CA', async () => {
    fx = await makeTrustFixture('cluster.local', { write: false });
    const file = join(fx.root, 'ca-bundle.crt');
    const leaf = await workloadCert(fx.issuer, { serviceAccount: 'web', namespace: 'shop', trustDomain: 'cluster.local' });
    await writeFile(file, `${fx.anchor.certPem}${splitPemBundle(leaf.certPem)[0]}`);
    const anchors = await openAnchorsFile({ file, pollIntervalMs: 60_000, log: captureLog().log });
    try {
      await expect(anchors.read()).rejects.toThrow(/CN=web\.shop\.serviceaccount\.identity\.meshviz\.cluster\.local is not a CA certificate/);
    } finally {
      anchors.close();
    }
  });
});

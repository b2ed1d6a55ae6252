import { IdentityError, signLeaf } from '@meshviz/identity';
import { CertifyRequest, type CertifyResponse, parseIdentityName } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { CertifyResult } from '../metrics.js';
import type { LoadedTrust } from './trust-store.js';
import type { TokenValidator } from './validators/index.js';

export interface CertifyDeps {
  trustDomain: string;
  leafLifetimeMs: number;
  clockSkewMs: number;
  trust: () => LoadedTrust | undefined;
  validator: TokenValidator;
  onResult: (result: CertifyResult) => void;
}

/**
 * POST /v1/certify: a proxy sends its identity, its workload token and a CSR; it gets a leaf for that identity.
 * Checks run cheapest first, and the CSR is looked at only once the token proved the caller is that workload, so
 * unauthenticated callers learn nothing about CSR handling.
 */
export function registerCertifyRoute(app: FastifyInstance, deps: CertifyDeps): void {
  app.post('/v1/certify', async (request, reply): Promise<CertifyResponse> => {
    const invalid = (message: string) => new IdentityError('IDENTITY_INVALID_ARGUMENT', message);
    const parsed = CertifyRequest.safeParse(request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      throw invalid(`the request is not a CertifyRequest (${problems.join('; ')})`);
    }
    const { identity: name, token, certificateSigningRequest } = parsed.data;
    const identity = parseIdentityName(name);
    if (!identity) {
      throw invalid(`${JSON.stringify(name)} is not a meshviz identity name (<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>)`);
    }
    if (identity.trustDomain !== deps.trustDomain) {
      throw invalid(`${name} is in trust domain ${identity.trustDomain}; this identity service certifies ${deps.trustDomain}`);
    }
    const trust = deps.trust();
    if (!trust) throw new IdentityError('IDENTITY_UNAVAILABLE', 'no issuer is loaded yet; the trust files are missing or refused');

    const workload = await deps.validator.validate(token);
    if (workload.namespace !== identity.namespace || workload.serviceAccount !== identity.serviceAccount) {
      throw new IdentityError(
        'IDENTITY_PERMISSION_DENIED',
        `the token belongs to service account ${workload.serviceAccount} in namespace ${workload.namespace}, not to ${name}`,
      );
    }

    const leaf = await signLeaf(trust.issuer, certificateSigningRequest, {
      identity,
      lifetimeMs: deps.leafLifetimeMs,
      clockSkewMs: deps.clockSkewMs,
    });
    deps.onResult('ok');
    request.log.info({ identity: name, validUntil: leaf.validUntil.toISOString(), issuerGeneration: trust.generation }, 'certified');
    reply.code(200);
    return {
      leafCertificate: leaf.certPem,
      intermediateCertificates: [trust.issuer.certPem],
      validUntil: leaf.validUntil.toISOString(),
    };
  });
}

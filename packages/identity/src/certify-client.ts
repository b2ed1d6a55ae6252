import https from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { CertifyResponse, type IdentityErrorCode } from '@meshviz/mesh-types';

/** Where the identity service listens. */
export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
}

export interface CertifyCall {
  readonly addr: ServiceAddress;
  /** The identity the identity service must present; checked before the token is sent. */
  readonly serverName: string;
  readonly anchorsPem: string;
  readonly identity: string;
  readonly token: string;
  readonly csrPem: string;
  readonly timeoutMs: number;
}

/** A refusal by the identity service (its code and message), or a failure to reach it. */
export class CertifyError extends Error {
  override name = 'CertifyError';
  constructor(
    message: string,
    readonly code: IdentityErrorCode | 'UNREACHABLE',
  ) {
    super(message);
  }
}

const MAX_RESPONSE_BYTES = 256 * 1024;

/** The DNS names a peer certificate carries (a mesh identity is the one DNS SAN). */
export function certificateDnsNames(cert: PeerCertificate | undefined): string[] {
  const san = cert?.subjectaltname ?? '';
  return san
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4));
}

/**
 * `checkServerIdentity` for a control-plane service (identity, policy, destination): its certificate, already
 * verified against the mesh's trust anchors, must carry `expected` among its DNS names. The error names both.
 */
export function expectServiceIdentity(service: string, expected: string): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    if (certificateDnsNames(cert).includes(expected)) return undefined;
    return new Error(`the ${service} presented "${cert.subjectaltname ?? ''}", expected ${expected}`);
  };
}

/** One certify exchange: POST /v1/certify over TLS 1.3 to the identity service, which must prove its identity. */
export function certify(call: CertifyCall): Promise<CertifyResponse> {
  const body = JSON.stringify({ identity: call.identity, token: call.token, certificateSigningRequest: call.csrPem });
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: call.addr.host,
        port: call.addr.port,
        method: 'POST',
        path: '/v1/certify',
        servername: call.serverName,
        ca: call.anchorsPem,
        minVersion: 'TLSv1.3',
        agent: false,
        timeout: call.timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        checkServerIdentity: expectServiceIdentity('identity service', call.serverName),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('the identity service answer is too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            reject(new CertifyError(`identity service answered ${res.statusCode} with non-JSON`, 'UNREACHABLE'));
            return;
          }
          if (res.statusCode !== 200) {
            const error = (json as { error?: { code?: IdentityErrorCode; message?: string } }).error;
            const code = error?.code ?? 'IDENTITY_UNAVAILABLE';
            reject(new CertifyError(`identity service refused (${res.statusCode} ${code}): ${error?.message ?? text}`, code));
            return;
          }
          const parsed = CertifyResponse.safeParse(json);
          if (parsed.success) resolve(parsed.data);
          else reject(new CertifyError(`identity service answer does not match the schema: ${parsed.error.message}`, 'UNREACHABLE'));
        });
        res.on('error', (error) => reject(new CertifyError(error.message, 'UNREACHABLE')));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${call.timeoutMs} ms`)));
    req.on('error', (error) => reject(new CertifyError(`identity service unreachable: ${error.message}`, 'UNREACHABLE')));
    req.end(body);
  });
}

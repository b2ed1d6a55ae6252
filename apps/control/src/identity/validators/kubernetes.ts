import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { IdentityError, parseServiceAccountUsername } from '@meshviz/identity';
import { IDENTITY_TOKEN_AUDIENCE } from '@meshviz/mesh-types';
import { z } from 'zod';
import type { TokenValidator } from './token-validator.js';

export interface KubernetesValidatorOptions {
  /** Base URL of the Kubernetes API, without a trailing slash. */
  apiUrl: string;
  /** The control plane's own service-account token, re-read per review because projected tokens rotate. */
  tokenFile: string;
  /** CA bundle the API server's certificate must chain to (https only). */
  caFile: string;
  timeoutMs?: number;
}

/** The part of a TokenReview's answer we read (authentication.k8s.io/v1). */
const TokenReviewAnswer = z.object({
  status: z
    .object({
      authenticated: z.boolean().optional(),
      user: z.object({ username: z.string().optional() }).optional(),
      audiences: z.array(z.string()).optional(),
      error: z.string().optional(),
    })
    .optional(),
});

const REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

/**
 * Checks tokens with a TokenReview, as Linkerd's identity service does: the API server says whether the token is
 * authentic, whose it is and whether it was minted for our audience. The review must say authenticated, a
 * service-account user name and our audience among its audiences; anything else is IDENTITY_UNAUTHENTICATED. An
 * API server that cannot be reached or refuses us (our own RBAC) is IDENTITY_UNAVAILABLE: not the caller's fault.
 */
export function createKubernetesValidator(options: KubernetesValidatorOptions): TokenValidator {
  const url = new URL(`${options.apiUrl}${REVIEW_PATH}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    kind: 'kubernetes',
    async validate(token) {
      const unavailable = (why: string, cause?: unknown) =>
        new IdentityError('IDENTITY_UNAVAILABLE', `the token reviewer is unavailable: ${why}`, cause ? { cause } : undefined);
      const refused = (why: string) => new IdentityError('IDENTITY_UNAUTHENTICATED', `token refused by the Kubernetes API: ${why}`);

      let bearer: string;
      let ca: string | undefined;
      try {
        bearer = (await readFile(options.tokenFile, 'utf8')).trim();
        ca = url.protocol === 'https:' ? await readFile(options.caFile, 'utf8') : undefined;
      } catch (error) {
        throw unavailable(`cannot read ${(error as { path?: string }).path ?? 'a credential file'} (${(error as NodeJS.ErrnoException).code})`, error);
      }

      const body = JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token, audiences: [IDENTITY_TOKEN_AUDIENCE] },
      });
      const answer = await post(url, body, { bearer, ca, timeoutMs }).catch((error: Error) => {
        throw unavailable(error.message, error);
      });
      if (answer.status < 200 || answer.status >= 300) {
        throw unavailable(`${url.host} answered ${answer.status} to the TokenReview`);
      }
      let parsed: z.infer<typeof TokenReviewAnswer>;
      try {
        parsed = TokenReviewAnswer.parse(JSON.parse(answer.body));
      } catch (error) {
        throw unavailable('the TokenReview answer is not a TokenReview', error);
      }
      const status = parsed.status ?? {};
      if (status.authenticated !== true) throw refused(status.error || 'not authenticated');
      if (!status.audiences?.includes(IDENTITY_TOKEN_AUDIENCE)) throw refused(`the token's audiences do not include ${IDENTITY_TOKEN_AUDIENCE}`);
      const username = status.user?.username ?? '';
      const workload = parseServiceAccountUsername(username);
      if (!workload) throw refused(`${JSON.stringify(username)} is not a service account`);
      return workload;
    },
  };
}

function post(
  url: URL,
  body: string,
  options: { bearer: string; ca: string | undefined; timeoutMs: number },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${options.bearer}`,
          'content-length': Buffer.byteLength(body),
        },
        ...(options.ca ? { ca: options.ca } : {}),
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A TokenReview answer is small; a huge one is no answer we want to hold.
          if (size > 1024 * 1024) request.destroy(new Error('the TokenReview answer is larger than 1 MiB'));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${options.timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot reach ${url.host}: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' ').trim())),
    );
    request.end(body);
  });
}

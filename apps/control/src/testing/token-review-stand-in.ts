import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers for one token: the `status` of a TokenReview. */
export interface ReviewStatus {
  authenticated?: boolean;
  user?: { username: string };
  audiences?: string[];
  error?: string;
}

export interface ReviewRequest {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface TokenReviewStandIn {
  url: string;
  requests: ReviewRequest[];
  /** Status code the stand-in answers with instead of 201, e.g. 403 as an API server refusing our RBAC. */
  failWith?: number;
  close(): Promise<void>;
}

/**
 * A small HTTPS server that answers TokenReviews the way the Kubernetes API does (201 with the review and its
 * status), from a table of tokens; unknown tokens are unauthenticated. It records every request so tests can
 * check what the validator sent. It stands in for the API server; it is not one.
 */
export async function startTokenReviewStandIn(
  tls: { keyFile: string; certFile: string },
  reviews: Record<string, ReviewStatus>,
): Promise<TokenReviewStandIn> {
  const requests: ReviewRequest[] = [];
  const standIn: Partial<TokenReviewStandIn> = { requests };
  const server = https.createServer(
    { key: await readFile(tls.keyFile), cert: await readFile(tls.certFile) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { spec?: { token?: string } };
        requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
        if (standIn.failWith) {
          res.writeHead(standIn.failWith, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: standIn.failWith }));
          return;
        }
        const status = reviews[body.spec?.token ?? ''] ?? { authenticated: false, error: 'invalid bearer token' };
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...body, status }));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  standIn.url = `https://127.0.0.1:${port}`;
  standIn.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return standIn as TokenReviewStandIn;
}

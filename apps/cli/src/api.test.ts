import { ENDPOINTS, STREAMS } from '@meshviz/api-client';
import { closedPortUrl, type HttpFixture, startHttpFixture } from '@meshviz/api-client/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { apiAt } from './api.js';

describe('the CLI’s API client', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('says which API it could not reach, why, and what to try', async () => {
    const base = await closedPortUrl();
    await expect(apiAt(base).get(ENDPOINTS.check, {})).rejects.toThrow(
      new RegExp(`^cannot reach the meshviz API at ${base} \\(.*ECONNREFUSED.*\\); is \`meshviz up\` running\\? Use --api <url> for another one$`),
    );
  });

  it('names the address of an answer it does not understand, and what is wrong with it', async () => {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    await expect(apiAt(api.url).get(ENDPOINTS.check, {})).rejects.toThrow(`unexpected answer from ${api.url}/api/v1/check: `);
  });

  it('passes on the API’s own message, or its status when the answer is not the API’s', async () => {
    api = await startHttpFixture((req, res) => {
      res.writeHead(req.url?.includes('tap') ? 403 : 502, { 'content-type': 'application/json' });
      res.end(req.url?.includes('tap') ? JSON.stringify({ error: { code: 'API_TAP_FORBIDDEN', message: 'this tap token is not valid' } }) : '');
    });
    const stream = apiAt(api.url).stream(STREAMS.tap, { query: { namespace: 'shop' } }, 't', new AbortController().signal, () => {});
    await expect(stream).rejects.toThrow(/^this tap token is not valid$/);
    await expect(apiAt(api.url).get(ENDPOINTS.check, {})).rejects.toThrow(/^the API answered HTTP 502$/);
  });

  it('refuses an answer to tap or top that is not an event stream, rather than waiting on it', async () => {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    });
    const stream = apiAt(api.url).stream(STREAMS.top, { query: { namespace: 'shop' } }, 't', new AbortController().signal, () => {});
    await expect(stream).rejects.toThrow(`${api.url} answered text/html instead of an event stream`);
  });
});

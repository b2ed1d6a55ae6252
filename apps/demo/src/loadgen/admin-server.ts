import { createServer, type Server } from 'node:http';
import { sendJson } from '../runtime/http-json.js';
import type { CountStore } from './count-store.js';
import { parseCountsQuery } from './counts-query.js';

/** GET /counts and GET /healthz. Errors use the public API's shape: { error: { code, message, param } }. */
export function createAdminServer(store: CountStore): Server {
  return createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (req.method !== 'GET') {
      return sendJson(res, 405, { error: { code: 'LOADGEN_METHOD_NOT_ALLOWED', message: 'only GET' } }, { allow: 'GET' });
    }
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname !== '/counts') {
      return sendJson(res, 404, { error: { code: 'LOADGEN_NOT_FOUND', message: `no such path: ${url.pathname}` } });
    }
    const query = parseCountsQuery(url.searchParams);
    if (!query.ok) {
      return sendJson(res, 400, { error: { code: 'LOADGEN_BAD_QUERY', message: query.message, param: query.param } });
    }
    return sendJson(res, 200, store.query(query));
  });
}

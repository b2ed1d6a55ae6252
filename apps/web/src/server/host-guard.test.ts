import { ApiError } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { parseHostGuardConfig } from '../config';
import { refuseForeignHost, WEB_HOST_NOT_ALLOWED } from './host-guard';

const request = (path: string, host: string | undefined) =>
  new Request(`http://127.0.0.1:8084${path}`, { headers: host === undefined ? {} : { host } });

describe('the dashboard Host check', () => {
  const { allowedHosts } = parseHostGuardConfig({});

  it.each(['localhost:8084', '127.0.0.1:3000', '[::1]:8084', 'web.meshviz-viz.svc', 'web.meshviz-viz.svc.cluster.local:8084'])(
    'serves %s by default',
    (host) => {
      for (const path of ['/', '/api/v1/stats', '/api/v1/tap']) expect(refuseForeignHost(request(path, host), allowedHosts)).toBeNull();
    },
  );

  it('refuses a page under a foreign name with a plain-text 400 saying why and what to set', async () => {
    const res = refuseForeignHost(request('/topology', 'evil.example:8084'), allowedHosts);
    expect(res?.status).toBe(400);
    expect(res?.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res?.headers.get('cache-control')).toBe('no-store');
    const text = await res!.text();
    expect(text).toBe(
      '400 Bad Request: the Host header "evil.example:8084" is not allowed; this protects against DNS rebinding. ' +
        'Add it to MESHVIZ_WEB_ALLOWED_HOSTS (a regular expression) if this is how you reach meshviz.\n',
    );
  });

  it.each(['/api/v1/stats', '/api/v1/top'])('refuses %s under a foreign name in the API error shape', async (path) => {
    const res = refuseForeignHost(request(path, 'evil.example:8084'), allowedHosts);
    expect(res?.status).toBe(400);
    const body = ApiError.parse(await res!.json());
    expect(body.error).toMatchObject({ code: WEB_HOST_NOT_ALLOWED, param: 'Host' });
    expect(body.error.message).toMatch(/"evil\.example:8084" is not allowed; this protects against DNS rebinding/);
    expect(body.error.message).toMatch(/MESHVIZ_WEB_ALLOWED_HOSTS/);
  });

  it('refuses a request without a Host', () => {
    expect(refuseForeignHost(request('/', undefined), allowedHosts)?.status).toBe(400);
  });

  it("serves the in-cluster names of the namespace it is told, not another namespace's", () => {
    const { allowedHosts: viz } = parseHostGuardConfig({ MESHVIZ_WEB_NAMESPACE: 'observability' });
    expect(refuseForeignHost(request('/', 'web.observability.svc.cluster.local:8084'), viz)).toBeNull();
    expect(refuseForeignHost(request('/', 'web.meshviz-viz.svc.cluster.local:8084'), viz)?.status).toBe(400);
    expect(refuseForeignHost(request('/', 'localhost:8084'), viz)).toBeNull();
  });

  it('serves exactly what a configured allow-list says', () => {
    const { allowedHosts: custom } = parseHostGuardConfig({ MESHVIZ_WEB_ALLOWED_HOSTS: '^meshviz\\.example\\.com(:\\d+)?$' });
    expect(refuseForeignHost(request('/', 'meshviz.example.com'), custom)).toBeNull();
    expect(refuseForeignHost(request('/api/v1/stats', 'localhost:8084'), custom)?.status).toBe(400);
  });
});

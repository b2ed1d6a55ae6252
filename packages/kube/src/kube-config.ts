import { KubeConfig } from '@kubernetes/client-node';

/** Where the API server is and how to authenticate to it. */
export interface ApiServerOptions {
  /** `https://host:port` (an `http://` URL is accepted for tests against the stand-in). */
  readonly apiUrl: string;
  /** CA bundle the API server's certificate is checked against (https only); unset: the system's roots. */
  readonly caFile?: string;
  /** Bearer token file (a service account's mounted token), re-read when it is rotated; unset: no token. */
  readonly tokenFile?: string;
}

/**
 * A client configuration for one API server from explicit settings — the in-cluster service-account token and CA
 * when the caller passes their paths — instead of a kubeconfig file: the control plane's config.ts decides where
 * they come from.
 */
export function kubeConfigFor(options: ApiServerOptions): KubeConfig {
  const kc = new KubeConfig();
  const server = options.apiUrl.replace(/\/+$/, '');
  // The library refuses plain HTTP unless told to skip TLS verification; an http:// URL has no TLS to verify, and
  // an https:// one is always verified.
  const plain = server.startsWith('http://');
  kc.loadFromClusterAndUser(
    { name: 'meshviz', server, skipTLSVerify: plain, ...(options.caFile && !plain ? { caFile: options.caFile } : {}) },
    options.tokenFile ? { name: 'meshviz', authProvider: { name: 'tokenFile', config: { tokenFile: options.tokenFile } } } : { name: 'meshviz' },
  );
  return kc;
}

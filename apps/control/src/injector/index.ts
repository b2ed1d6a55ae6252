import { type KubeConfig, NAMESPACES, ResourceCache, type V1Namespace } from '@meshviz/kube';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { NamespaceAnnotations } from './review.js';
import { type InjectorServer, startInjectorServer } from './server.js';
import type { InjectorSettings } from './sidecar.js';

export interface InjectorConfig {
  listen: HostPort;
  certFile: string;
  keyFile: string;
  settings: InjectorSettings;
  certPollMs?: number;
}

export interface Injector extends InjectorServer {
  readonly namespaces: ResourceCache<V1Namespace>;
}

/** How long the start waits for the first list of namespaces before serving with what it has. */
const NAMESPACE_SYNC_MS = 5_000;

/**
 * The proxy injector: the webhook server, and a cache of the cluster's namespaces (list/watch) for their
 * `meshviz.io/inject` and `config.meshviz.io/*` annotations — an AdmissionReview carries the pod only. Until the
 * namespaces have listed, pods are judged by their own annotations and the answer says so in a warning.
 */
export async function startInjector(
  config: InjectorConfig,
  deps: { kc: KubeConfig; trustAnchors: () => string | undefined; log: Logger },
): Promise<Injector> {
  const { log } = deps;
  const namespaces = new ResourceCache(deps.kc, NAMESPACES, {
    onError: (error, kind) => log.warn({ err: { message: error.message }, kind }, 'cannot list or watch; retrying'),
  });
  await namespaces.start();
  if (!(await namespaces.whenSynced(NAMESPACE_SYNC_MS))) log.warn('namespaces not listed yet; injecting by the pods’ own annotations until they are');
  const lookup: NamespaceAnnotations = (name) => {
    if (!namespaces.synced()) return undefined;
    const ns = namespaces.get(name);
    return ns ? (ns.metadata?.annotations ?? {}) : undefined;
  };
  let server: InjectorServer;
  try {
    server = await startInjectorServer(config, { namespaceAnnotations: lookup, trustAnchors: deps.trustAnchors, log });
  } catch (error) {
    await namespaces.stop();
    throw error;
  }
  return {
    address: server.address,
    namespaces,
    ready: () => server.ready() && namespaces.synced(),
    close: async () => {
      await Promise.all([server.close(), namespaces.stop()]);
    },
  };
}

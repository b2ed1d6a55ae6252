import type { InboundPolicy } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import { Catalog, type CatalogEntry, type CatalogLoad } from '../streaming/catalog.js';

/** A workload's compiled policy; its revision is the one of the load that last changed it. */
export type CompiledPolicy = Omit<InboundPolicy, 'revision'>;
export type PolicyLoad = CatalogLoad<CompiledPolicy>;
export type PolicyCatalog = Catalog<CompiledPolicy>;

export const workloadKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The policies in force, one per workload (`namespace/name`), and who streams each. */
export function createPolicyCatalog(log: Logger): PolicyCatalog {
  return new Catalog<CompiledPolicy>(log, {
    refused: 'policy refused; the last good policy stays in force',
    warning: 'policy warning',
    loaded: 'policy loaded',
  });
}

/** The policy as streamed: the entry with its revision. */
export function inboundPolicy(entry: CatalogEntry<CompiledPolicy>): InboundPolicy {
  return { ...entry.value, revision: entry.revision };
}

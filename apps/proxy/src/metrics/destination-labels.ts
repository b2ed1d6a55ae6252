import { LABEL } from '@meshviz/mesh-types';
import type { Destination } from '../core/stage.js';

type Labels = Record<string, string>;

/** Adds target_addr and the dst_* labels discovery knows for an upstream; shared by the request and tcp_* families. */
export function addDestinationLabels(labels: Labels, destination: Destination): Labels {
  if (destination.targetAddr !== '') labels[LABEL.targetAddr] = destination.targetAddr;
  const { meta } = destination;
  if (meta) {
    labels[LABEL.dstNamespace] = meta.namespace;
    labels[LABEL.dstService] = meta.service;
    if (meta.deployment !== undefined) labels[LABEL.dstDeployment] = meta.deployment;
    if (meta.pod !== undefined) labels[LABEL.dstPod] = meta.pod;
  }
  return labels;
}

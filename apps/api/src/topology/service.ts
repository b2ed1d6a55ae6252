import { DEFAULT_HEALTH_THRESHOLDS, type TopologyResponse } from '@meshviz/mesh-types';
import type { PrometheusClient } from '../plugins/prometheus.js';
import { buildTopology } from './pipeline.js';
import { fetchTrafficSamples } from './samples.js';

export async function getTopology(
  prom: PrometheusClient,
  namespace: string | null,
  window: string,
  at?: Date,
): Promise<TopologyResponse> {
  const samples = await fetchTrafficSamples(prom, namespace, window, at);
  const graph = buildTopology(samples, DEFAULT_HEALTH_THRESHOLDS);
  return { window, thresholds: DEFAULT_HEALTH_THRESHOLDS, ...graph };
}

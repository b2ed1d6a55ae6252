import { ENDPOINTS } from '@meshviz/api-client';
import type { StatsQuery } from '@meshviz/mesh-types';
import type { ConfiguredTable } from '../destinations/destinations-file.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { getStats } from '../routes/stats/stats-queries.js';
import { getTopology } from '../topology/topology-queries.js';

/**
 * The whole-mesh answers, as jobs a thread apart from the API's can compute: plain data only (they cross a
 * worker's message port), the instant as epoch ms, and what the main thread reads from files (the destinations
 * table) read there and handed over, so both threads run exactly these functions.
 */
export type AnswerJob =
  | { kind: 'stats'; query: StatsQuery; at: number }
  | { kind: 'topology'; namespace: string | null; window: string; scrapeSeconds: number; at: number; configured: ConfiguredTable };

const { stats, topology } = ENDPOINTS;

/**
 * Lets calls waiting on the event loop be served between the long synchronous steps of a computation (folding a
 * whole mesh's graph, validating it, writing its JSON) when it runs on the API's own thread.
 */
const letCallsThrough = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The answer of `job` as the JSON text sent to callers: validated against the contract (a drift fails loudly here
 * rather than in a client) and written once per computation, not once per call (a whole mesh's graph is megabytes).
 */
export async function answerOf(prom: PrometheusClient, job: AnswerJob): Promise<string> {
  const at = new Date(job.at);
  if (job.kind === 'stats') return JSON.stringify(stats.response.schema.parse(await getStats(prom, job.query, at)));
  const configured = { read: async () => job.configured };
  const graph = await getTopology(prom, job.namespace, job.window, job.scrapeSeconds, at, configured);
  await letCallsThrough();
  const checked = topology.response.schema.parse(graph);
  await letCallsThrough();
  return JSON.stringify(checked);
}

import { spawnUp } from '@meshviz/cli/testing';

export interface Stack {
  dashboardUrl: string;
  apiUrl: string;
  /** What the API asks of tap clients (its API_TAP_TOKEN), as `meshviz up` prints it in the tap link. */
  tapToken: string;
  stop(): Promise<void>;
}

/**
 * The live demo stack for browser tests: the real `meshviz up --demo` (real proxies, real Prometheus, API, web) on
 * free ports, scraping every second so data appears quickly.
 */
export async function startStack(): Promise<Stack> {
  const mesh = await spawnUp(['--demo', '--scrape-interval', '1s']);
  return { dashboardUrl: mesh.dashboardUrl, apiUrl: mesh.apiUrl, tapToken: mesh.tapToken, stop: mesh.stop };
}

import { spawnUp } from '@meshviz/cli/testing';

export interface Stack {
  dashboardUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * The live demo stack for browser tests: the real `meshviz up --demo` (real proxies, real Prometheus, API, web) on
 * free ports, scraping every second so data appears quickly.
 */
export async function startStack(): Promise<Stack> {
  const mesh = await spawnUp(['--demo', '--scrape-interval', '1s']);
  return { dashboardUrl: mesh.dashboardUrl, apiUrl: mesh.apiUrl, stop: mesh.stop };
}

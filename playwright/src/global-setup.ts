import type { TestProject } from 'vitest/node';
import { startStack } from './stack.js';
import { waitForDemoTraffic } from './support/demo-traffic.js';

/**
 * Starts the live demo stack once for every browser spec (real proxies, real Prometheus, API and the built web) and
 * hands its URLs to the specs through provide/inject. It also waits until every demo workload shows traffic, so
 * specs do not each wait for Prometheus's first scrapes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const stack = await startStack();
  try {
    await waitForDemoTraffic(stack.apiUrl);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  console.log(`demo stack ready with traffic in ${((Date.now() - started) / 1000).toFixed(1)} s: ${stack.dashboardUrl}`);
  project.provide('dashboardUrl', stack.dashboardUrl);
  project.provide('apiUrl', stack.apiUrl);
  project.provide('tapToken', stack.tapToken);
  return () => stack.stop();
}

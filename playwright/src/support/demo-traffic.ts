/** The demo mesh's workloads that receive traffic from the load generator. */
export const DEMO_WORKLOADS = [
  ['bookshop', 'web'],
  ['bookshop', 'catalog'],
  ['bookshop', 'reviews'],
  ['billing', 'payments'],
  ['billing', 'ledger'],
] as const;

interface StatsBody {
  rows?: { namespace: string; name: string; rps: number | null }[];
}

/** Polls the API until every demo workload has a non-zero rate (rates need two scrapes), or gives up. */
export async function waitForDemoTraffic(apiUrl: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/api/v1/stats?kind=deployment&namespace=all&window=1m`);
      const body = (await response.json()) as StatsBody;
      const busy = new Set((body.rows ?? []).filter((r) => (r.rps ?? 0) > 0).map((r) => `${r.namespace}/${r.name}`));
      const missing = DEMO_WORKLOADS.map(([ns, name]) => `${ns}/${name}`).filter((id) => !busy.has(id));
      if (missing.length === 0) return;
      last = `no traffic yet for ${missing.join(', ')}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the demo mesh showed no traffic within ${timeoutMs / 1000} s: ${last}`);
}

import { median } from './report.js';

/**
 * What the store itself spends, apart from the API: the evaluation time Prometheus reports for one query
 * (`stats=all`, evalTotalTime: finding the series, reading their samples, rate and sum; before any JSON is
 * written), the time one evaluation of a rule group takes, and the store's own CPU and memory (its /metrics).
 */

interface QueryStats {
  data?: { stats?: { timings?: { evalTotalTime?: number } } };
}

/** Median evaluation time (ms) of `query` at `at`, asked alone `runs` times in a row (Prometheus only). */
export async function evaluationMs(promUrl: string, query: string, at: number, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const res = await fetch(`${promUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query, time: String(at), stats: 'all' }),
    });
    const seconds = ((await res.json()) as QueryStats).data?.stats?.timings?.evalTotalTime;
    if (!res.ok || seconds === undefined) throw new Error(`Prometheus gave no query stats for ${query} (HTTP ${res.status})`);
    times.push(seconds * 1000);
  }
  return median(times);
}

interface RulesAnswer {
  data?: { groups?: Array<{ name: string; evaluationTime: number; rules: Array<{ health: string; lastError?: string }> }> };
}

/**
 * Median time (ms) of one evaluation of the named rule group, read `evaluations` times one interval apart; null
 * when none had finished by then (Prometheus reports 0 until one has): the group takes longer than that to run.
 */
export async function ruleGroupMs(promUrl: string, group: string, intervalSeconds: number, evaluations: number): Promise<number | null> {
  const times: number[] = [];
  for (let i = 0; i < evaluations; i++) {
    await new Promise((r) => setTimeout(r, intervalSeconds * 1000));
    const answer = (await fetch(`${promUrl}/api/v1/rules?type=record`).then((r) => r.json())) as RulesAnswer;
    const found = answer.data?.groups?.find((g) => g.name === group);
    if (!found) throw new Error(`Prometheus did not load the rule group ${group}`);
    const broken = found.rules.find((r) => r.health === 'err');
    if (broken) throw new Error(`a rule of ${group} failed: ${broken.lastError ?? 'unknown error'}`);
    if (found.evaluationTime > 0) times.push(found.evaluationTime * 1000);
  }
  return times.length === 0 ? null : median(times);
}

/** CPU seconds and resident memory the store reports about its own process. */
export async function processUse(url: string): Promise<{ cpuSeconds: number; rssBytes: number }> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const value = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    if (!m?.[1]) throw new Error(`the store's /metrics has no ${name}`);
    return Number(m[1]);
  };
  return { cpuSeconds: value('process_cpu_seconds_total'), rssBytes: value('process_resident_memory_bytes') };
}

/** Cores the store used on average while `during` ran, and its resident memory at the end. */
export async function measuredUse<T>(url: string, during: () => Promise<T>): Promise<{ result: T; cores: number; rssMb: number }> {
  const before = await processUse(url);
  const t0 = performance.now();
  const result = await during();
  const after = await processUse(url);
  const seconds = (performance.now() - t0) / 1000;
  return { result, cores: (after.cpuSeconds - before.cpuSeconds) / seconds, rssMb: after.rssBytes / 2 ** 20 };
}

import { ENDPOINTS } from '@meshviz/api-client';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { COMMON_HELP, parseCommon } from './api-flags.js';

const HELP = `Usage: meshviz check [options]

Checks the observability pipeline: Prometheus reachable, scrape targets up, proxies reporting, scrapes recent.
Exits 1 when a check fails.
${COMMON_HELP}`;

const MARK = { ok: '√', warn: '‼', fail: '×' } as const;

export async function runCheck(argv: string[], env: CliEnv): Promise<number> {
  const { common, values } = parseCommon(argv, env);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const check = await apiAt(common.api).get(ENDPOINTS.check, {});
  if (common.output === 'json') {
    process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
  } else {
    for (const c of check.checks) {
      process.stdout.write(`${MARK[c.status]} ${c.description}: ${c.detail}\n`);
      if (c.hint) process.stdout.write(`    see: ${c.hint}\n`);
    }
    process.stdout.write(`\nStatus check results are ${MARK[check.status]}\n`);
  }
  return check.status === 'fail' ? 1 : 0;
}

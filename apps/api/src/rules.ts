#!/usr/bin/env node
/**
 * meshviz-api-rules <window> <interval>: prints the rule group (Prometheus or vmalert rule file YAML) that records
 * the sums the API reads for that rate window, evaluated every <interval> (the scrape interval). Load it into the
 * store's rule_files and set API_RECORDED_WINDOWS=<window>.
 */
import { recordingRuleGroup } from '@meshviz/promql';

const [window, interval] = process.argv.slice(2);
if (window === undefined || interval === undefined) {
  process.stderr.write('usage: meshviz-api-rules <window> <interval>   e.g. meshviz-api-rules 1m 5s > meshviz-rules.yml\n');
  process.exit(2);
}
try {
  process.stdout.write(recordingRuleGroup(window, interval));
} catch (err) {
  process.stderr.write(`meshviz-api-rules: ${(err as Error).message}\n`);
  process.exit(2);
}

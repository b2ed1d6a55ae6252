#!/usr/bin/env node
import { type InitArgs, parseInitArgs, USAGE, UsageError } from './args.js';
import { applyInterception, removeInterception } from './iptables.js';
import { applyScript } from './rules.js';

/** Exit codes: 2 for a bad command line, 1 when iptables fails. */
const EXIT_USAGE = 2;

let args: InitArgs;
try {
  args = parseInitArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`meshviz-proxy-init: ${error.message}\n${USAGE}`);
  process.exit(EXIT_USAGE);
}

try {
  const options = { netns: args.netns };
  if (args.mode === 'help') process.stdout.write(USAGE);
  // A dry run shows what a first run on an empty table would send; nothing is read or changed.
  else if (args.mode === 'dry-run') process.stdout.write(applyScript(args.spec, ''));
  else if (args.mode === 'cleanup') {
    const removed = await removeInterception(options);
    process.stdout.write(removed ? 'meshviz-proxy-init: interception rules removed\n' : 'meshviz-proxy-init: no interception rules to remove\n');
  } else {
    await applyInterception(args.spec, options);
    process.stdout.write(`meshviz-proxy-init: interception rules applied (inbound → ${args.spec.inboundPort}, outbound → ${args.spec.outboundPort})\n`);
  }
} catch (error) {
  process.stderr.write(`meshviz-proxy-init: ${(error as Error).message}\n`);
  process.exit(1);
}

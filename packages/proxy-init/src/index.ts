export { type InitArgs, type InitMode, parseInitArgs, USAGE, UsageError } from './args.js';
export { applyInterception, IptablesError, type IptablesOptions, removeInterception, saveNat } from './iptables.js';
export { applyScript, canonicalCidr, cleanupScript, interceptionRules, jumpRules, ownedLines, portRanges } from './rules.js';

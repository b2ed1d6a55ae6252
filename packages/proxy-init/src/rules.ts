import { INTERCEPTION_CHAINS, type InterceptionSpec } from '@meshviz/mesh-types';

/** The chains this program owns, and the built-in chain each is entered from. */
const OWNED = [
  { chain: INTERCEPTION_CHAINS.inbound, from: 'PREROUTING' },
  { chain: INTERCEPTION_CHAINS.outbound, from: 'OUTPUT' },
] as const;
const OWNED_NAMES: ReadonlySet<string> = new Set(OWNED.map((o) => o.chain));

/**
 * The nat rules of a spec, in iptables-restore syntax and in the exact form iptables-save prints them back (so an
 * applied table can be compared line for line). Only TCP is touched.
 *
 * MESHVIZ_INBOUND (from PREROUTING, and from MESHVIZ_OUTPUT for the proxy's calls to its own pod):
 *   skip-inbound ports → RETURN, then everything → REDIRECT to the inbound port.
 * MESHVIZ_OUTPUT (from OUTPUT):
 *   1. the proxy's own connections to this pod's address (not loopback) → MESHVIZ_INBOUND. The outbound side may
 *      pick this very pod as the endpoint of a service (the app calling its own service); that connection leaves
 *      by lo and would reach the app directly, skipping the inbound side where its mTLS ends. Redirected, it keeps
 *      its original destination, which tells the inbound side the app's port.
 *   2. every other connection of the proxy's UID → RETURN (it would loop back into the proxy).
 *   3. anything leaving by lo → RETURN: loopback, and the app calling itself by its pod address, which is not a
 *      hop between workloads.
 *   4. skip-outbound ports and CIDRs → RETURN.
 *   5. everything else → REDIRECT to the outbound port.
 * REDIRECT of locally made connections goes to 127.0.0.1, so the outbound listener may stay on loopback.
 */
export function interceptionRules(spec: InterceptionSpec): string[] {
  const inbound = INTERCEPTION_CHAINS.inbound;
  const outbound = INTERCEPTION_CHAINS.outbound;
  const rules: string[] = [];
  for (const range of portRanges(spec.skipInboundPorts)) rules.push(`-A ${inbound} -p tcp -m tcp --dport ${range} -j RETURN`);
  rules.push(`-A ${inbound} -p tcp -j REDIRECT --to-ports ${spec.inboundPort}`);
  rules.push(`-A ${outbound} ! -d 127.0.0.0/8 -o lo -p tcp -m owner --uid-owner ${spec.proxyUid} -j ${inbound}`);
  rules.push(`-A ${outbound} -p tcp -m owner --uid-owner ${spec.proxyUid} -j RETURN`);
  rules.push(`-A ${outbound} -o lo -j RETURN`);
  for (const range of portRanges(spec.skipOutboundPorts)) rules.push(`-A ${outbound} -p tcp -m tcp --dport ${range} -j RETURN`);
  for (const cidr of spec.skipOutboundCidrs) rules.push(`-A ${outbound} -d ${canonicalCidr(cidr)} -j RETURN`);
  rules.push(`-A ${outbound} -p tcp -j REDIRECT --to-ports ${spec.outboundPort}`);
  return rules;
}

/** The jump rules from the built-in chains into the owned ones. */
export function jumpRules(): string[] {
  return OWNED.map(({ chain, from }) => `-A ${from} -p tcp -j ${chain}`);
}

/** The meshviz lines of an `iptables-save -t nat` output: rules in owned chains, and jumps into them. */
export function ownedLines(saved: string): { chains: string[]; rules: string[]; jumps: string[] } {
  const chains: string[] = [];
  const rules: string[] = [];
  const jumps: string[] = [];
  for (const line of saved.split('\n')) {
    const declared = /^:(\S+) /.exec(line);
    if (declared && OWNED_NAMES.has(declared[1]!)) chains.push(declared[1]!);
    const rule = /^-A (\S+) .*-j (\S+)/.exec(line);
    if (!rule) continue;
    if (OWNED_NAMES.has(rule[1]!)) rules.push(line);
    else if (OWNED_NAMES.has(rule[2]!)) jumps.push(line);
  }
  return { chains, rules, jumps };
}

/**
 * One iptables-restore transaction (`--noflush`: other rules stay) that installs a spec. Declaring an owned chain
 * empties it; jumps left by an earlier run are deleted before new ones are added, so running twice changes
 * nothing. All or nothing: a bad rule leaves the table as it was.
 */
export function applyScript(spec: InterceptionSpec, saved: string): string {
  const { jumps } = ownedLines(saved);
  return [
    '*nat',
    ...OWNED.map(({ chain }) => `:${chain} - [0:0]`),
    ...jumps.map((line) => line.replace(/^-A /, '-D ')),
    ...interceptionRules(spec),
    ...jumpRules(),
    'COMMIT',
    '',
  ].join('\n');
}

/** The transaction that removes every owned chain and every jump into them; undefined when there is none. */
export function cleanupScript(saved: string): string | undefined {
  const { chains, jumps } = ownedLines(saved);
  if (chains.length === 0 && jumps.length === 0) return undefined;
  return [
    '*nat',
    ...jumps.map((line) => line.replace(/^-A /, '-D ')),
    ...chains.map((chain) => `-F ${chain}`),
    ...chains.map((chain) => `-X ${chain}`),
    'COMMIT',
    '',
  ].join('\n');
}

/** Sorted ports as iptables --dport values, contiguous runs folded into `lo:hi`. */
export function portRanges(ports: readonly number[]): string[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return ranges;
}

/** An IPv4 CIDR as iptables-save prints it (`10.0.0.7` → `10.0.0.7/32`, host bits cleared). Throws naming it. */
export function canonicalCidr(value: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m?.[5] === undefined ? 32 : Number(m[5]);
  if (!m || octets.some((o) => o > 255) || bits > 32) throw new Error(`"${value}" is not an IPv4 address or CIDR such as 10.0.0.0/8`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  // Bitwise operators are 32-bit signed; >>> 0 brings the result back to unsigned.
  const network = (address & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.')}/${bits}`;
}

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Parses a Dockerfile into instructions (comments and blank lines dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return;
    const joined = pending ? `${pending.text} ${line}` : line;
    const start = pending?.line ?? i + 1;
    if (line.endsWith('\\')) {
      pending = { text: joined.slice(0, -1).trimEnd(), line: start };
      return;
    }
    pending = undefined;
    const m = /^(\S+)\s*(.*)$/.exec(joined)!;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: start });
  });
  return out;
}

/** A base image pinned to an exact Node 20 slim release (`node:20.x.y-<debian>-slim`), optionally by digest too. */
const PINNED_NODE = /^node:20\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/;

/**
 * What every meshviz Dockerfile must be, one line per breach ([] when all hold): multi-stage on a pinned slim
 * Node 20 base, the final stage built from the earlier ones, production dependencies only, a fixed numeric
 * non-root USER before the exec-form ENTRYPOINT/CMD (`uid` when given), no ADD of a URL.
 */
export function dockerfileProblems(text: string, uid?: number): string[] {
  const problems: string[] = [];
  const instructions = parseDockerfile(text);
  const stages: { name: string | undefined; from: number }[] = [];
  instructions.forEach((ins, i) => {
    const at = `line ${ins.line}`;
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.args.split(/\s+/);
      const earlier = stages.some((s) => s.name === image);
      if (!earlier && !PINNED_NODE.test(image ?? '')) problems.push(`${at}: base image ${image} is not pinned to an exact node:20.x.y-…-slim`);
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, from: i });
    }
    if (ins.keyword === 'ADD' && /(https?|git):\/\//.test(ins.args)) problems.push(`${at}: ADD of a URL`);
    if (ins.keyword === 'RUN' && /\bcurl\b.*\|\s*(ba)?sh/.test(ins.args)) problems.push(`${at}: pipes a download into a shell`);
  });
  if (stages.length < 2) problems.push('not multi-stage: build in one stage, copy what runs into another');
  const last = stages.at(-1)?.from ?? 0;
  const final = instructions.slice(last);
  if (!final.some((ins) => ins.keyword === 'COPY' && /--from=/.test(ins.args))) problems.push('the final stage copies nothing from the build stage');
  const prodInstall = instructions.some((ins) => ins.keyword === 'RUN' && /npm (ci|install)\b[^&]*--omit=dev/.test(ins.args));
  if (!prodInstall) problems.push('no `npm ci --omit=dev` (or npm install --omit=dev): dev dependencies would ship');
  const users = final.filter((ins) => ins.keyword === 'USER');
  const user = users.at(-1);
  const entry = final.filter((ins) => ins.keyword === 'ENTRYPOINT' || ins.keyword === 'CMD');
  if (!user) problems.push('the final stage sets no USER: it would run as root');
  else {
    const m = /^(\d+)(?::(\d+))?$/.exec(user.args);
    if (!m) problems.push(`line ${user.line}: USER ${user.args} is not a numeric UID (runAsNonRoot needs one)`);
    else if (Number(m[1]) === 0 || Number(m[2] ?? 1) === 0) problems.push(`line ${user.line}: USER ${user.args} is root`);
    else if (uid !== undefined && Number(m[1]) !== uid) problems.push(`line ${user.line}: USER ${user.args} is not UID ${uid}`);
    for (const e of entry) if (e.line < user.line) problems.push(`line ${e.line}: ${e.keyword} comes before USER`);
  }
  if (entry.length === 0) problems.push('the final stage has no ENTRYPOINT or CMD');
  for (const e of entry) if (!e.args.trim().startsWith('[')) problems.push(`line ${e.line}: ${e.keyword} is not in exec form (["node", …])`);
  return problems;
}

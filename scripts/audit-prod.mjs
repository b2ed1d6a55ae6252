#!/usr/bin/env node
// `npm run audit:prod`: the production dependencies (npm audit --omit=dev) must carry no high or critical advisory,
// unless scripts/audit-exceptions.json explains it (package, advisory URL and why it does not reach meshviz).
// Exit 0: clean (or every finding explained). Exit 1: an unexplained high/critical advisory, or an exception that no
// longer matches anything (stale). Exit 2: the registry's audit endpoint could not be asked: nothing was checked.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BLOCKING = new Set(['high', 'critical']);

/**
 * Judges an `npm audit --json` report (format 2, npm 7 and later). Returns the blocking findings no exception
 * explains, the exceptions that match nothing, and every finding for the summary.
 */
export function judgeAudit(report, exceptions) {
  if (!report || typeof report !== 'object' || typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
    throw new Error('not an npm audit report (format 2): no "vulnerabilities" object');
  }
  const findings = [];
  for (const [name, vuln] of Object.entries(report.vulnerabilities)) {
    // `via` lists advisories (objects) and the dependencies they come through (strings); only advisories count here.
    const advisories = (vuln.via ?? []).filter((v) => typeof v === 'object' && v !== null);
    for (const a of advisories) findings.push({ name, severity: a.severity ?? vuln.severity, url: a.url ?? '', title: a.title ?? '' });
  }
  const explained = (f) => exceptions.some((e) => e.package === f.name && e.advisory === f.url);
  const blocking = findings.filter((f) => BLOCKING.has(f.severity) && !explained(f));
  const stale = exceptions.filter((e) => !findings.some((f) => f.name === e.package && f.url === e.advisory));
  return { findings, blocking, stale };
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const exceptions = JSON.parse(readFileSync(path.join(root, 'scripts', 'audit-exceptions.json'), 'utf8')).exceptions;
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  if (!report || report.error || (report.message && !report.vulnerabilities)) {
    const why = report?.error?.summary || report?.message || run.stderr.trim().split('\n').pop() || `npm exited ${run.status}`;
    process.stderr.write(`audit:prod: NOT CHECKED — the registry's audit endpoint could not be asked (${why})\n`);
    process.exit(2);
  }
  const { findings, blocking, stale } = judgeAudit(report, exceptions);
  const counts = report.metadata?.vulnerabilities ?? {};
  process.stdout.write(
    `audit:prod: production dependencies: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low advisories (${findings.length} findings)\n`,
  );
  for (const f of blocking) process.stdout.write(`  UNEXPLAINED ${f.severity}: ${f.name} — ${f.title} ${f.url}\n`);
  for (const e of stale) process.stdout.write(`  STALE exception: ${e.package} ${e.advisory} no longer applies; remove it\n`);
  process.exit(blocking.length > 0 || stale.length > 0 ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

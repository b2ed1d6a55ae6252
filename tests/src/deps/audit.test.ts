import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain Node script (no types), run by `npm run audit:prod` and CI
import { judgeAudit } from '../../../scripts/audit-prod.mjs';

/** Reports in the shape `npm audit --json` prints (format 2): advisories in `via`, paths to them as names. */
const advisory = (severity: string, url: string) => ({ source: 1, name: 'x', title: `a ${severity} problem`, url, severity, range: '<2' });
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'left-pad': { name: 'left-pad', severity: 'critical', via: [advisory('critical', 'https://github.com/advisories/GHSA-1')], effects: ['app'] },
    app: { name: 'app', severity: 'critical', via: ['left-pad'], effects: [] },
    'tiny-lib': { name: 'tiny-lib', severity: 'moderate', via: [advisory('moderate', 'https://github.com/advisories/GHSA-2')], effects: [] },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 2, total: 3 } },
};

describe('production dependency audit (npm run audit:prod)', () => {
  it('blocks an unexplained critical advisory once, at the package that carries it, not at those it reaches', () => {
    const verdict = judgeAudit(report, []);
    expect(verdict.blocking).toEqual([{ name: 'left-pad', severity: 'critical', url: 'https://github.com/advisories/GHSA-1', title: 'a critical problem' }]);
    expect(verdict.findings).toHaveLength(2);
  });

  it('lets an explained advisory pass and calls an exception that matches nothing stale', () => {
    const explained = { package: 'left-pad', advisory: 'https://github.com/advisories/GHSA-1', reason: 'only its CLI is affected' };
    const gone = { package: 'old', advisory: 'https://github.com/advisories/GHSA-9', reason: 'fixed upstream' };
    const verdict = judgeAudit(report, [explained, gone]);
    expect(verdict.blocking).toEqual([]);
    expect(verdict.stale).toEqual([gone]);
  });

  it('passes moderate and low advisories (reported, not blocking) and a clean report', () => {
    expect(judgeAudit({ ...report, vulnerabilities: { 'tiny-lib': report.vulnerabilities['tiny-lib'] } }, []).blocking).toEqual([]);
    expect(judgeAudit({ auditReportVersion: 2, vulnerabilities: {}, metadata: {} }, [])).toEqual({ findings: [], blocking: [], stale: [] });
  });

  it('refuses what is not an audit report instead of calling it clean', () => {
    expect(() => judgeAudit({ message: '405 Method Not Allowed' }, [])).toThrow(/not an npm audit report/);
  });
});

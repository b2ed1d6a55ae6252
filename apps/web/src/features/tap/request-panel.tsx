'use client';

import { REDACTED_VALUE, type TapEvent } from '@meshviz/mesh-types';
import { type ReactNode, useEffect, useRef } from 'react';
import sidePanel from '../../components/layout/side-panel.module.css';
import { DeniedBadge } from '../../components/security/denied-badge';
import { IdentityPair } from '../../components/security/identity-name';
import { SecuredBadge } from '../../components/security/secured-badge';
import { formatLatencyMs } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import type { TapRequest } from './request-log';
import styles from './request-panel.module.css';
import { formatBytes, formatTapTime, grpcStatusName, statusText, summarize, type TapAuthz } from './request-summary';
import tap from './tap.module.css';
import { FailedMark } from './tap-table';

interface Props {
  request: TapRequest;
  onClose: () => void;
}

/** One request in full (give it `key={request.id}`): each part as it arrived, with its headers exactly as received (redacted ones say so). */
export function RequestPanel({ request, onClose }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const s = summarize(request);
  // Opening moves focus here, so keyboard and screen reader users land on what they opened (the page gives each
  // request its own panel instance, by key).
  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <aside
      id="tap-panel"
      className={`${sidePanel.panel} ${styles.panel}`}
      aria-labelledby="tap-panel-title"
      data-testid={TestIds.tapPanel}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className={sidePanel.panelHead}>
        <div>
          <h2 id="tap-panel-title" ref={heading} tabIndex={-1} className={sidePanel.panelTitle}>
            {s.method || 'Request'} {s.path}
          </h2>
          <p className={sidePanel.panelNote}>
            {s.source} → {s.destination} · {s.direction}
          </p>
        </div>
        <button type="button" className={`${sidePanel.close} ${styles.close}`} onClick={onClose} aria-label="Close request details" data-testid={TestIds.tapPanelClose}>
          ×
        </button>
      </div>
      <p className={`${styles.panelStatus} ${s.outcome === 'failure' ? tap.failed : ''}`}>
        {s.outcome === 'failure' ? <FailedMark /> : null}
        {statusText(s)}
        {s.latencyMs !== null ? ` · ${formatLatencyMs(s.latencyMs)}` : ''}
        {s.bytes !== null ? ` · ${formatBytes(s.bytes)}` : ''}
      </p>
      <TlsLine part={request.parts[0]} />
      {s.authz ? <PolicyDecision authz={s.authz} /> : null}
      <p className={sidePanel.panelNote}>
        Id <code>{request.id}</code> · seen by the proxy of {request.parts[0]?.proxy.namespace}/{request.parts[0]?.proxy.pod}
      </p>
      {request.parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: parts only ever append, so a position names one part
        <Part key={i} part={part} />
      ))}
      {request.end === null ? <p className={sidePanel.panelNote}>The response has not ended yet (or its end was not seen).</p> : null}
    </aside>
  );
}

/** The hop's mutual TLS, with the identities both ends proved, or why it was plaintext. */
function TlsLine({ part }: { part: TapEvent | undefined }) {
  if (!part?.tls) return null;
  if (part.tls === 'true') {
    return (
      <p className={sidePanel.panelNote} data-testid={TestIds.tapPanelTls}>
        <SecuredBadge secured /> <IdentityPair client={part.source.identity} server={part.destination.identity} />
      </p>
    );
  }
  return (
    <p className={sidePanel.panelNote} data-testid={TestIds.tapPanelTls}>
      <SecuredBadge secured={false} reason={part.noTlsReason?.replaceAll('_', ' ')} />
    </p>
  );
}

/** What the receiving proxy's policy decided: refused (and why) or let in, by which server, route and authorization. */
function PolicyDecision({ authz }: { authz: TapAuthz }) {
  return (
    <section
      className={`${styles.policy} ${authz.denied ? styles.policyDenied : ''}`}
      aria-label="Authorization policy"
      data-testid={TestIds.tapPanelAuthz}
      {...{ [RowAttrs.denied]: authz.denied ? 'true' : undefined }}
    >
      {authz.denied ? (
        <p className={styles.policyVerdict}>
          <DeniedBadge /> Refused by policy
        </p>
      ) : (
        <p className={styles.policyVerdict}>Allowed by policy</p>
      )}
      {authz.denied ? (
        authz.reason ? (
          <p className={styles.policyReason} data-testid={TestIds.tapPanelAuthzReason}>
            {authz.reason}
          </p>
        ) : (
          <p className={styles.policyReason}>The proxy gave no reason.</p>
        )
      ) : null}
      <dl className={styles.fields}>
        <div>
          <dt>Server</dt>
          <dd>{authz.server}</dd>
        </div>
        <div>
          <dt>Route</dt>
          <dd>{authz.route}</dd>
        </div>
        <div>
          <dt>Authorization</dt>
          <dd>{authz.authorization ?? 'none allowed it'}</dd>
        </div>
      </dl>
    </section>
  );
}

function partKind(part: TapEvent): 'requestInit' | 'responseInit' | 'responseEnd' {
  if (part.requestInit) return 'requestInit';
  if (part.responseInit) return 'responseInit';
  return 'responseEnd';
}

const TITLES = { requestInit: 'Request', responseInit: 'Response', responseEnd: 'End of response' } as const;

function Part({ part }: { part: TapEvent }) {
  const kind = partKind(part);
  const fields: [string, ReactNode][] = [];
  let headers: { name: string; value: string }[] | null = null;
  if (part.requestInit) {
    const r = part.requestInit;
    fields.push(['Method', r.method], ['Scheme', r.scheme], ['Authority', r.authority], ['Path', r.path], ['Time', formatTapTime(r.timestampMs)]);
    headers = r.headers;
  } else if (part.responseInit) {
    const r = part.responseInit;
    fields.push(['Status', String(r.status)], ['After', formatLatencyMs(r.sinceRequestInitMs)]);
    headers = r.headers;
  } else if (part.responseEnd) {
    const r = part.responseEnd;
    fields.push(
      ['gRPC status', r.grpcStatus === null ? 'none' : `${grpcStatusName(r.grpcStatus)} (${r.grpcStatus})`],
      ['Reset', r.reset === '' ? 'none' : r.reset],
      ['Bytes', String(r.responseBytes)],
      ['Since request', formatLatencyMs(r.sinceRequestInitMs)],
      ['Since response', formatLatencyMs(r.sinceResponseInitMs)],
    );
  }
  return (
    <section className={styles.part} aria-label={TITLES[kind]} data-testid={TestIds.tapPart} {...{ [RowAttrs.part]: kind }}>
      <h3 className={styles.partTitle}>{TITLES[kind]}</h3>
      <dl className={styles.fields}>
        {fields.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {headers !== null ? <Headers headers={headers} /> : null}
      <details className={styles.raw}>
        <summary>As received (JSON)</summary>
        <pre>{JSON.stringify(part, null, 2)}</pre>
      </details>
    </section>
  );
}

function Headers({ headers }: { headers: readonly { name: string; value: string }[] }) {
  if (headers.length === 0) return <p className={sidePanel.panelNote}>No headers.</p>;
  return (
    <table className={styles.headers}>
      <caption className="visually-hidden">Headers</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {headers.map((header, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat; its position is its identity
          <tr key={i} data-testid={TestIds.tapHeader}>
            <th scope="row">{header.name}</th>
            <td>
              {header.value === REDACTED_VALUE ? (
                <span className={styles.redacted} title="The proxy removed this value before the event left the pod">
                  {header.value}
                </span>
              ) : (
                header.value
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

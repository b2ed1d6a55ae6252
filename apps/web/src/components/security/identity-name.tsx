import { shortIdentity } from '@meshviz/mesh-types';
import styles from './secured-badge.module.css';

/** An mTLS identity shortened to `serviceaccount.namespace`, the whole name on hover. */
export function IdentityName({ id }: { id: string }) {
  const names = id.split(', ');
  return (
    <span className={styles.identity} title={names.join('\n')}>
      {names.map(shortIdentity).join(', ')}
    </span>
  );
}

/** The two ends of a secured hop: client → server, a dash for an end that is not known. */
export function IdentityPair({ client, server }: { client: string | null | undefined; server: string | null | undefined }) {
  return (
    <span className={styles.pair}>
      {client ? <IdentityName id={client} /> : '—'} <span aria-hidden="true">→</span>
      <span className="visually-hidden">to</span> {server ? <IdentityName id={server} /> : '—'}
    </span>
  );
}

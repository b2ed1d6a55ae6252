import { TestIds } from '../../testids';
import { isPrometheusOutage } from '../metrics-outage/outage';
import styles from './api-error-banner.module.css';

interface Props {
  error: Error & { code?: string };
  /** When the data on screen was last refreshed; absent when nothing good has arrived yet. */
  lastGoodAt?: number | undefined;
  /** Replaces the retry sentence, for what does not retry on its own (a stopped stream). */
  note?: string;
  /** What failed, above the API's message, where a page has more than one thing that can ("… could not be loaded"). */
  title?: string;
}

/** An API failure in words, above data that stays on screen. */
export function ApiErrorBanner({ error, lastGoodAt, note, title }: Props) {
  // The page frame says it once for the whole page (components/metrics-outage), not once per section.
  if (isPrometheusOutage(error)) return null;
  return (
    <div className={styles.banner} role="alert" data-testid={TestIds.apiErrorBanner}>
      {title ? <p className={styles.title}>{title}</p> : null}
      <p className={styles.message}>{error.message}</p>
      <p className={styles.detail}>
        {error.code ? <code>{error.code}</code> : null}
        {note !== undefined
          ? ` ${note}`
          : lastGoodAt !== undefined
            ? ` Showing the last data received at ${new Date(lastGoodAt).toLocaleTimeString()}. Retrying every few seconds.`
            : ' Retrying every few seconds.'}
      </p>
    </div>
  );
}

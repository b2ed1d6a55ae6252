'use client';

import { type FormEvent, useId, useState } from 'react';
import page from '../../components/layout/page.module.css';
import { storeTapToken } from '../../lib/tap-token';
import { TestIds } from '../../testids';
import tap from './live-stream.module.css';
import styles from './token-form.module.css';

/**
 * Asks for the tap token when this tab has none (or the API refused it). Tapping shows live paths and headers, so
 * the API guards it with a token of its own, apart from reading metrics.
 */
export function TokenForm({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { title: useId(), input: useId(), help: useId(), problem: useId() };
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  function submit(event: FormEvent) {
    event.preventDefault();
    const token = value.trim().replace(/^Bearer\s+/i, '');
    if (token === '') {
      setProblem('The field is empty: paste the token itself.');
      return;
    }
    setProblem(null);
    setValue('');
    storeTapToken(token);
  }

  return (
    <form className={`${page.card} ${styles.tokenForm}`} onSubmit={submit} aria-labelledby={ids.title} data-testid={TestIds.tapTokenForm}>
      <Heading id={ids.title} className={styles.tokenTitle}>
        A tap token is needed
      </Heading>
      <p className={styles.tokenText}>
        Tapping shows live requests with their paths and headers, so the API asks for a token of its own, apart from
        the metrics. Nothing is streamed until you press Start.
      </p>
      <label htmlFor={ids.input} className={styles.tokenLabel}>
        Paste the tap token printed by <code>meshviz up</code> (or the operator’s <code>API_TAP_TOKEN</code>)
      </label>
      <div className={styles.tokenRow}>
        <input
          id={ids.input}
          type="password"
          className={tap.input}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={problem ? `${ids.help} ${ids.problem}` : ids.help}
          aria-invalid={problem ? true : undefined}
          data-testid={TestIds.tapTokenInput}
        />
        <button type="submit" className={tap.primary} data-testid={TestIds.tapTokenSubmit}>
          Use token
        </button>
      </div>
      {problem ? (
        <p id={ids.problem} className={tap.problem} role="alert">
          {problem}
        </p>
      ) : null}
      <p id={ids.help} className={styles.tokenHelp}>
        <code>meshviz up</code> prints a link that carries it: <code>…/tap#tap-token=…</code>. This tab keeps the token
        until it closes and takes it out of the address, so it stays out of bookmarks and history.
      </p>
    </form>
  );
}

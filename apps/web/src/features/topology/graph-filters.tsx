'use client';

import type { TopologyNode } from '@meshviz/mesh-types';
import { useId } from 'react';
import { TestIds } from '../../testids';
import styles from './topology.module.css';

interface Props {
  find: string;
  hide: string;
  onFind: (text: string) => void;
  onHide: (text: string) => void;
  /** Nodes the find text matches (and hide does not): also the keyboard's way to select a node. */
  matches: readonly TopologyNode[];
  onSelect: (id: string) => void;
}

const MAX_LISTED = 12;

/** Find highlights nodes by name, hide leaves them (and their edges) out; both live in the URL. */
export function GraphFilters({ find, hide, onFind, onHide, matches, onSelect }: Props) {
  const ids = { find: useId(), hide: useId(), matches: useId() };
  return (
    <div className={styles.filters}>
      <div className={styles.filterField}>
        <label htmlFor={ids.find}>Find</label>
        <input
          id={ids.find}
          type="search"
          value={find}
          placeholder="name or namespace/name"
          onChange={(e) => onFind(e.target.value)}
          aria-describedby={ids.matches}
          data-testid={TestIds.topologyFind}
        />
      </div>
      <div className={styles.filterField}>
        <label htmlFor={ids.hide}>Hide</label>
        <input
          id={ids.hide}
          type="search"
          value={hide}
          placeholder="e.g. loadgen"
          onChange={(e) => onHide(e.target.value)}
          data-testid={TestIds.topologyHide}
        />
      </div>
      <div id={ids.matches} className={styles.matches} aria-live="polite">
        {find.trim() === '' ? null : matches.length === 0 ? (
          <span>No node matches “{find.trim()}”.</span>
        ) : (
          <>
            <span>
              {matches.length} {matches.length === 1 ? 'match' : 'matches'}:
            </span>
            {matches.slice(0, MAX_LISTED).map((node) => (
              <button key={node.id} type="button" className={styles.matchButton} onClick={() => onSelect(node.id)} data-testid={TestIds.topologyMatch}>
                {node.namespace}/{node.name}
                <span className="visually-hidden"> ({node.kind})</span>
              </button>
            ))}
            {matches.length > MAX_LISTED ? <span>and {matches.length - MAX_LISTED} more</span> : null}
          </>
        )}
      </div>
    </div>
  );
}

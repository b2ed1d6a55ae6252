import page from './page.module.css';

interface Props {
  at: number;
  fetching: boolean;
  testId?: string;
}

/** When the data on screen arrived, and whether a refresh is under way. */
export function UpdatedAt({ at, fetching, testId }: Props) {
  return (
    <p className={page.updated} data-testid={testId}>
      Updated {new Date(at).toLocaleTimeString()}
      {fetching ? ' · refreshing…' : ''}
    </p>
  );
}

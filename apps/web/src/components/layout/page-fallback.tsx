import { TableSkeleton } from '../skeleton/table-skeleton';
import page from './page.module.css';
import { PageHeader } from './page-header';

/** What a page shows before it knows its URL (the prerendered shell): its title and a skeleton. */
export function PageFallback({ title }: { title: string }) {
  return (
    <section className={page.page} aria-label={title}>
      <PageHeader title={title} />
      <TableSkeleton label={`Loading ${title.toLowerCase()}…`} />
    </section>
  );
}

import { TableSkeleton } from '../skeleton/table-skeleton';
import page from './page.module.css';

/** What a page shows before it knows its URL (the prerendered shell): its title and a skeleton. */
export function PageFallback({ title }: { title: string }) {
  return (
    <section className={page.page} aria-label={title}>
      <div className={page.toolbar}>
        <h1 className={page.title}>{title}</h1>
      </div>
      <TableSkeleton label={`Loading ${title.toLowerCase()}…`} />
    </section>
  );
}

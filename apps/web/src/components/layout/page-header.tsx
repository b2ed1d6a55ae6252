import type { ReactNode } from 'react';
import page from './page.module.css';

interface Props {
  title: ReactNode;
  /** The heading's id, for the page section's aria-labelledby. */
  titleId?: string;
  /** One line under the title: what the page shows and over which window. */
  subtitle?: ReactNode;
  /** Links above the title, to where the page sits. */
  breadcrumb?: ReactNode;
  /** The page's controls, at the right of the title (a select, a picker, links). */
  children?: ReactNode;
}

/** Every page's title row: breadcrumb, title and subtitle on the left, the page's own controls on the right. */
export function PageHeader({ title, titleId, subtitle, breadcrumb, children }: Props) {
  return (
    <div className={page.toolbar}>
      <div>
        {breadcrumb ? <p className={page.breadcrumb}>{breadcrumb}</p> : null}
        <h1 id={titleId} className={page.title}>
          {title}
        </h1>
        {subtitle ? <p className={page.subtitle}>{subtitle}</p> : null}
      </div>
      {children}
    </div>
  );
}

// A page's <h1>: names the document and takes the focus when the page opens, so a screen reader
// announces the new page after a hash navigation.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../context';

export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div class="page-heading">
      <h1 ref={heading} tabIndex={-1} data-testid="page-heading">{title}</h1>
      {children}
    </div>
  );
}

// A wide table scrolls sideways inside this box on a narrow window; the box takes the focus so a
// keyboard user can scroll it too, and is named after its table.
import type { ComponentChildren } from 'preact';

export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}

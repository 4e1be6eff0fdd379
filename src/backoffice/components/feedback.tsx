// Loading, failure and empty states, the same on every page.
import type { ComponentChildren } from 'preact';
import { useI18n } from '../context';
import { errorText } from '../error-text';

export function ErrorMessage({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const { t } = useI18n();
  const { message, fieldErrors } = errorText(error, t);
  return (
    <div class="error" role="alert" data-testid={testId}>
      <p>{message}</p>
      {fieldErrors.length > 0 && (
        <ul class="field-error-list">
          {fieldErrors.map((e, i) => (
            <li key={i}><code>{e.path}</code>: {e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <p class="muted" role="status" data-testid="loading">{t('common.loading')}</p>;
}

export function Empty({ children, testId = 'empty' }: { children: ComponentChildren; testId?: string }) {
  return <p class="empty" data-testid={testId}>{children}</p>;
}

/** A success message read out by screen readers. */
export function Notice({ children, testId = 'notice' }: { children: ComponentChildren; testId?: string }) {
  return <p class="notice" role="status" data-testid={testId}>{children}</p>;
}

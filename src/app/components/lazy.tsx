// first-load bundle: keep it small
// Loads a component with import() the first time it is shown, so it stays out of the first-load bundle.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../context';

type Loader<P> = () => Promise<ComponentType<P>>;
const loaded = new Map<Loader<never>, ComponentType<never>>();

export function Lazy<P extends object>({ load, props }: { load: Loader<P>; props: P }) {
  const { t } = useI18n();
  const [, rerender] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // read the cache on every render, so a new `load` never shows the previous component
  const Component = loaded.get(load as Loader<never>) as ComponentType<P> | undefined;
  useEffect(() => {
    if (Component) return;
    let live = true;
    load().then(
      (component) => {
        loaded.set(load as Loader<never>, component as ComponentType<never>);
        if (live) rerender((n) => n + 1);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (error) return <p role="alert" class="alert">{t('error.failed', { message: error })}</p>;
  if (!Component) return <p class="muted" aria-busy="true">{t('common.loading')}</p>;
  return <Component {...props} />;
}

// Small hooks the pages share: the hash route, data loading, and a button's async action.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { parseRoute, routeHash, type Route } from './routes';

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(route: Route): void {
  location.hash = routeHash(route);
}

/** While a reload runs the last data stays on screen, so the page does not flicker after an action. */
export type Loaded<T> =
  | { status: 'loading'; data?: T }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: unknown; data?: T };

/** Runs `load` when `deps` change or `reload()` is called; an answer that arrives after a newer request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ status: 'loading', data: previous.data }));
    load().then(
      (data) => current && setState({ status: 'ok', data }),
      (error: unknown) => current && setState((previous) => ({ status: 'error', error, data: previous.data })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `deps` say when it means something new
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return [state, reload];
}

/** An action started by a button: busy while it runs (to disable the button), its error if it failed. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const run = useCallback(async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      if (mounted.current) setError(caught);
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

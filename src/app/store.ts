// first-load bundle: keep it small
// A value the UI subscribes to, for state that lives outside the component tree (service worker news).
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: (value: T) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      listeners.forEach((listener) => listener(next));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Re-renders the component whenever the subscribed source publishes. */
export function useSubscribed<T>(get: () => T, subscribe: (listener: () => void) => () => void): T {
  const [value, setValue] = useState(get);
  useEffect(() => {
    setValue(() => get());
    return subscribe(() => setValue(() => get()));
  }, [subscribe]);
  return value;
}

export const useStore = <T,>(store: Store<T>): T => useSubscribed(store.get, store.subscribe);

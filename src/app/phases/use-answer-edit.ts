// What an answer control shows: the saved answer, or the technician's edit of it. An edit is theirs until
// it is saved: a saved value that arrives later (the save of an earlier edit, a re-render, a reload of the
// draft) never replaces text typed since. The edit is dropped only once the saved answer equals it.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface AnswerEdit<T> {
  /** what the control shows */
  readonly value: T;
  /** the control shows something that is not saved */
  readonly edited: boolean;
  /** takes the technician's input (or a function of what is shown) as the edit */
  set(next: T | ((shown: T) => T)): void;
}

/**
 * `key` says when two values are the same answer (the same text, the same rows); a saved value is never
 * copied into state, so there is nothing to overwrite an edit with.
 */
export function useAnswerEdit<T>(saved: T, key: (value: T) => string): AnswerEdit<T> {
  const [edit, setEdit] = useState<{ value: T } | null>(null);
  const savedKey = key(saved);
  // the updater below runs later than this render: it must see the saved value of its own time
  const latest = useRef({ saved, key });
  latest.current = { saved, key };
  useEffect(() => {
    // the saved answer caught up with the edit: nothing is left unsaved; an edit that moved on stays
    setEdit((current) => (current !== null && latest.current.key(current.value) === savedKey ? null : current));
  }, [savedKey]);
  const value = edit === null ? saved : edit.value;
  return {
    value,
    edited: edit !== null && key(edit.value) !== savedKey,
    set(next) {
      setEdit((current) => {
        const shown = current === null ? latest.current.saved : current.value;
        return { value: typeof next === 'function' ? (next as (shown: T) => T)(shown) : next };
      });
    },
  };
}

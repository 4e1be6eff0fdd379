// When an answer is saved without a save button: a while after the last keystroke, at once when the
// technician leaves the box, when the page is hidden or closed (the phone locked, another app opened)
// and when the control leaves the screen (another phase's tab). `write` decides whether there is
// anything to save; it is always the control's latest one.
import { useEffect, useRef, useState } from 'preact/hooks';

/** Typing pauses shorter than this are one edit: saved once, after the last keystroke. */
export const SAVE_AFTER_TYPING_MS = 800;

export interface Autosave {
  /** saves after the typing pauses */
  later(): void;
  /** saves now (a later save still pending is dropped: this one takes the latest answer) */
  now(): void;
  /** saves of this control are in flight */
  readonly saving: boolean;
}

export function useAutosave(write: () => Promise<unknown> | undefined): Autosave {
  const latest = useRef(write);
  latest.current = write;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [inFlight, setInFlight] = useState(0);
  const api = useRef<Omit<Autosave, 'saving'>>({
    later() {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => api.current.now(), SAVE_AFTER_TYPING_MS);
    },
    now() {
      clearTimeout(timer.current);
      timer.current = undefined;
      const saving = latest.current();
      if (!saving) return;
      setInFlight((n) => n + 1);
      void saving.finally(() => setInFlight((n) => n - 1));
    },
  });
  useEffect(() => {
    const whenHidden = () => document.visibilityState === 'hidden' && api.current.now();
    const onPageHide = () => api.current.now();
    document.addEventListener('visibilitychange', whenHidden);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', whenHidden);
      window.removeEventListener('pagehide', onPageHide);
      // leaving the screen with an edit not saved yet: save it now
      if (timer.current !== undefined) api.current.now();
    };
  }, []);
  return { ...api.current, saving: inFlight > 0 };
}

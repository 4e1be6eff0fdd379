// What the phone's requests to the server share: URLs, timeouts, Retry-After, and reading an ApiError.
import type { ApiError } from '../domain/api';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
/** Runs `fn` after `ms`; returns a function that cancels it. Injected so tests drive time. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const defaultSetTimer: SetTimer = (fn, ms) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/** `base` is the server's origin (maybe with a path prefix); `path` an API path such as /api/v1/forms. */
export function apiUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** The longest Retry-After we honour: a server asking for more is asked again after this. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After in ms (delta-seconds or an HTTP date), or null when absent or unreadable; within [0, MAX_RETRY_AFTER_MS]. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  const text = header?.trim() ?? '';
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  // an HTTP date always names its weekday and month; a bare '-5' would otherwise parse as the year −5
  else if (/[A-Za-z]/.test(text) && !Number.isNaN(Date.parse(text))) ms = Date.parse(text) - now;
  else return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** What a request got back, read within its deadline. */
export interface ApiAnswer {
  status: number;
  ok: boolean;
  /** the parsed body of a 2xx answer; undefined when it was not JSON */
  json: unknown;
  /** for a non-2xx answer: the ApiError's sentence, or a description of the status */
  message: string;
  retryAfter: string | null;
}

/** One API request under a deadline; throws only when no answer came (network down, timeout). */
export function callApi(fetch: FetchLike, url: string, init: RequestInit, timeoutMs: number, setTimer: SetTimer): Promise<ApiAnswer> {
  return withDeadline(timeoutMs, setTimer, async (signal) => {
    const response = await fetch(url, { ...init, signal });
    const answer = { status: response.status, ok: response.ok, retryAfter: response.headers.get('Retry-After') };
    if (response.ok) return { ...answer, json: await response.json().catch(() => undefined), message: '' };
    return { ...answer, json: undefined, message: await readErrorMessage(response) };
  });
}

async function readErrorMessage(response: Response): Promise<string> {
  const fallback = `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  try {
    const body = (await response.json()) as Partial<ApiError> | null;
    const message = body?.error?.message;
    return typeof message === 'string' && message.trim() !== '' ? message : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Runs a request (fetch and reading its body) under a deadline: one that hangs on a dead connection
 * in a basement is aborted and fails like a network error, whether or not the fetch honours the signal.
 */
async function withDeadline<T>(timeoutMs: number, setTimer: SetTimer, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let cancel = () => {};
  const deadline = new Promise<never>((_, reject) => {
    cancel = setTimer(() => {
      const error = new Error(`no answer from the server within ${Math.round(timeoutMs / 1000)} s`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    cancel();
  }
}

export function describeFailure(error: unknown): string {
  return `could not reach the server: ${error instanceof Error ? error.message : String(error)}`;
}

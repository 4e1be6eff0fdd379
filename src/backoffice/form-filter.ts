// The forms-list filter ⇄ query parameters. The same names go into the URL hash (so a link
// reproduces the view) and into the API's query string (so the server sees what the clerk sees).
import type { FormFilter } from '../domain/api';

export const FORM_STATES = ['accepted', 'conflict'] as const;
export const SATISFACTIONS = [1, 2, 3, 4, 5] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Parameters in a fixed order, only the ones set; `dispute` as `true` / `false`. */
export function filterToParams(filter: FormFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.technician) params.set('technician', filter.technician);
  if (filter.state) params.set('state', filter.state);
  if (filter.dispute !== undefined) params.set('dispute', String(filter.dispute));
  if (filter.satisfaction !== undefined) params.set('satisfaction', String(filter.satisfaction));
  return params;
}

/** Reads a filter back; a value that is not a valid one (a hand-edited link) is left out, never guessed. */
export function paramsToFilter(params: URLSearchParams): FormFilter {
  const filter: FormFilter = {};
  const from = params.get('from');
  if (from && isIsoDate(from)) filter.from = from;
  const to = params.get('to');
  if (to && isIsoDate(to)) filter.to = to;
  const technician = params.get('technician')?.trim();
  if (technician && technician.length <= 64) filter.technician = technician;
  const state = params.get('state');
  if (state === 'accepted' || state === 'conflict') filter.state = state;
  const dispute = params.get('dispute');
  if (dispute === 'true' || dispute === 'false') filter.dispute = dispute === 'true';
  const satisfaction = params.get('satisfaction');
  if (satisfaction && /^[1-5]$/.test(satisfaction)) filter.satisfaction = Number(satisfaction);
  return filter;
}

/** A stable text for a filter: equal filters give equal keys (used to reset paging when it changes). */
export function filterKey(filter: FormFilter): string {
  return filterToParams(filter).toString();
}

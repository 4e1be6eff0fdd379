// What a failure says to the clerk: the server's own sentence and field errors when it gave them,
// otherwise a sentence of ours in the clerk's language.
import type { FieldError } from '../domain/validation-issues';
import { ApiClientError } from './api-client';
import type { Translate } from './i18n';

export interface ErrorText {
  message: string;
  fieldErrors: readonly FieldError[];
}

export function errorText(error: unknown, t: Translate): ErrorText {
  if (error instanceof ApiClientError) {
    if (error.code === 'network') return { message: t('error.network', { detail: error.message }), fieldErrors: [] };
    if (error.code === 'bad-response') return { message: t('error.badResponse', { detail: error.message }), fieldErrors: [] };
    if (error.unauthorized) return { message: t('error.unauthorized', { status: error.status, detail: error.message }), fieldErrors: [] };
    if (error.status === 403) {
      const key = error.code === 'forbidden-role' ? 'error.forbiddenRole' : 'error.forbidden';
      return { message: t(key, { status: error.status, detail: error.message }), fieldErrors: [] };
    }
    if (error.code === 'http') return { message: t('error.http', { status: error.status }), fieldErrors: [] };
    return { message: t('error.server', { status: error.status, detail: error.message }), fieldErrors: error.fieldErrors };
  }
  if (error instanceof Error) return { message: t('error.unexpected', { detail: error.message }), fieldErrors: [] };
  return { message: t('error.unexpected', { detail: String(error) }), fieldErrors: [] };
}

/** Field errors by path, for showing each next to its field. */
export function fieldErrorMap(errors: readonly FieldError[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { path, message } of errors) map[path] = map[path] ? `${map[path]}; ${message}` : message;
  return map;
}

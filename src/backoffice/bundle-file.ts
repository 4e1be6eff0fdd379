// A first look at a chosen bundle file before it is uploaded: too big for the server, or not JSON at
// all, is said at once and by name. Everything else is the server's to judge, with the phone's schemas.
import { API_LIMITS } from '../domain/api';
import type { Translate } from './i18n';

export function bundleTooBig(sizeBytes: number, t: Translate): string | null {
  if (sizeBytes <= API_LIMITS.maxBodyBytes) return null;
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  return t('import.tooBig', { size: mb(sizeBytes), limit: mb(API_LIMITS.maxBodyBytes) });
}

export function bundleNotJson(text: string, t: Translate): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return t('import.notJson', { detail: error instanceof Error ? error.message : String(error) });
  }
}

// The admin token for this browser tab: kept in sessionStorage, so closing the tab signs out.
type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const TOKEN_STORAGE_KEY = 'onsite.backoffice.adminToken';

/** What the clerk pasted, without surrounding blanks or a copied `Bearer ` prefix; null when no usable token is left. */
export function normalizeToken(pasted: string): string | null {
  const token = pasted.trim().replace(/^Bearer(\s+|$)/i, '').trim();
  return token === '' || /\s/.test(token) ? null : token;
}

/** Storage can be switched off or full: the page still works, the clerk just signs in again. */
export function quietly<T>(action: () => T, fallback: T): T {
  try {
    return action();
  } catch {
    return fallback;
  }
}

export function loadToken(storage: TokenStorage | null): string | null {
  return quietly(() => storage?.getItem(TOKEN_STORAGE_KEY) ?? null, null);
}

export function saveToken(storage: TokenStorage | null, token: string): void {
  quietly(() => storage?.setItem(TOKEN_STORAGE_KEY, token), undefined);
}

export function clearToken(storage: TokenStorage | null): void {
  quietly(() => storage?.removeItem(TOKEN_STORAGE_KEY), undefined);
}

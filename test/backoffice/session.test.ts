// The admin token: what a pasted text becomes, and keeping it in sessionStorage (or not, when storage fails).
import { describe, expect, it } from 'vitest';
import { clearToken, loadToken, normalizeToken, saveToken, TOKEN_STORAGE_KEY } from '../../src/backoffice/session';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('normalizeToken', () => {
  it('trims blanks and a copied "Bearer " prefix', () => {
    expect(normalizeToken('  abc.DEF-123\n')).toBe('abc.DEF-123');
    expect(normalizeToken('Bearer abc')).toBe('abc');
    expect(normalizeToken('bearer   abc ')).toBe('abc');
  });

  it('refuses nothing, blanks, and text with spaces inside', () => {
    expect(normalizeToken('')).toBeNull();
    expect(normalizeToken('   ')).toBeNull();
    expect(normalizeToken('Bearer ')).toBeNull();
    expect(normalizeToken('two words')).toBeNull();
  });
});

describe('token storage', () => {
  it('saves, loads and clears the token under its key', () => {
    const storage = memoryStorage();
    expect(loadToken(storage)).toBeNull();
    saveToken(storage, 'tok');
    expect(storage.map.get(TOKEN_STORAGE_KEY)).toBe('tok');
    expect(loadToken(storage)).toBe('tok');
    clearToken(storage);
    expect(loadToken(storage)).toBeNull();
  });

  it('carries on without storage or when it throws', () => {
    const broken = {
      getItem: (): string | null => { throw new Error('SecurityError'); },
      setItem: () => { throw new Error('QuotaExceededError'); },
      removeItem: () => { throw new Error('SecurityError'); },
    };
    expect(loadToken(broken)).toBeNull();
    expect(() => saveToken(broken, 'x')).not.toThrow();
    expect(() => clearToken(broken)).not.toThrow();
    expect(loadToken(null)).toBeNull();
  });
});

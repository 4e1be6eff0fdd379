// The first look at a bundle file before upload: too big, or not JSON, said at once.
import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '../../src/domain/api';
import { bundleNotJson, bundleTooBig } from '../../src/backoffice/bundle-file';
import { translator } from '../../src/backoffice/i18n';

const en = translator('en');

describe('bundle files', () => {
  it('refuses a file over the server body limit, saying both sizes', () => {
    expect(bundleTooBig(API_LIMITS.maxBodyBytes, en)).toBeNull();
    expect(bundleTooBig(API_LIMITS.maxBodyBytes + 1, en)).toBe('The file is 8.0 MB, over the 8.0 MB limit. Export it from the phone in smaller parts.');
    expect(bundleTooBig(20 * 1024 * 1024, translator('zh-CN'))).toContain('20.0 MB');
  });

  it('refuses text that is not JSON, with the parser\'s reason', () => {
    expect(bundleNotJson('{"format":"onsite.bundle"}', en)).toBeNull();
    expect(bundleNotJson('not json', en)).toMatch(/^This is not a JSON file: /);
    expect(bundleNotJson('', en)).not.toBeNull();
  });
});

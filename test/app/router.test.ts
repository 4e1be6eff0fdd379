import { describe, expect, it } from 'vitest';
import { href, parseHash, type Route } from '../../src/app/router';

describe('the hash router', () => {
  const routes: Route[] = [
    { name: 'list' }, { name: 'new' }, { name: 'settings' }, { name: 'open', visitId: 'V-2026/01' },
    { name: 'visit', formId: '8c0e4f0e-1111-4222-8333-944444444444' }, { name: 'copy', formId: '8c0e4f0e-1111-4222-8333-944444444444' },
  ];
  it.each(routes)('reads back what it writes: %j', (route) => {
    expect(parseHash(href(route))).toEqual(route);
  });

  it.each(['', '#', '#/', '#/nope', '#/visit', '#/visit/x/copy/more', '#/new/extra', '#/open/'])('sends an unknown hash %j to the list', (hash) => {
    expect(parseHash(hash)).toEqual({ name: 'list' });
  });
});

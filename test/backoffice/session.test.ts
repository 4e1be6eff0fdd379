// What each role sees in the navigation, and storage that fails quietly.
import { describe, expect, it } from 'vitest';
import { mayOpen, navFor } from '../../src/backoffice/nav';
import { quietly } from '../../src/backoffice/session';

describe('navigation by role', () => {
  it('shows each role only the pages it may use', () => {
    expect(navFor('admin')).toEqual(['forms', 'disputes', 'conflicts', 'technicians', 'visits', 'parts', 'import', 'checklists', 'equipment', 'dashboard', 'users', 'audit']);
    expect(navFor('customer-service')).toEqual(['forms', 'disputes', 'conflicts', 'technicians', 'visits', 'parts', 'import', 'checklists', 'equipment', 'dashboard']);
    expect(navFor('dispatcher')).toEqual(['forms', 'disputes', 'conflicts', 'technicians', 'visits', 'parts', 'checklists', 'equipment', 'dashboard']);
    expect(navFor('viewer')).toEqual(['forms', 'disputes', 'conflicts', 'technicians', 'visits', 'parts', 'checklists', 'equipment', 'dashboard']);
  });

  it('refuses a page typed into the address bar that the role may not open', () => {
    expect(mayOpen('viewer', 'users')).toBe(false);
    expect(mayOpen('dispatcher', 'import')).toBe(false);
    expect(mayOpen('viewer', 'form')).toBe(true);
    expect(mayOpen('admin', 'audit')).toBe(true);
  });
});

describe('quietly', () => {
  it('answers the fallback when storage throws', () => {
    expect(quietly(() => { throw new Error('SecurityError'); }, 'fallback')).toBe('fallback');
    expect(quietly(() => 'kept', 'fallback')).toBe('kept');
  });
});

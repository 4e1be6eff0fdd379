// The rules of one change to a dispute, as both adapters apply them inside their transaction.
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../src/server/storage/dispute-rows';

describe('which change a dispute refuses', () => {
  const open = { flagged: true, resolved: false };
  const resolved = { flagged: true, resolved: true };
  it('refuses an unknown form and a form with nothing flagged, whatever the change', () => {
    expect(refusalOf(null, { kind: 'note', text: 'x' }, null)).toBe('not-found');
    expect(refusalOf({ flagged: false, resolved: false }, { kind: 'resolve', outcome: 'other', note: 'x' }, null)).toBe('not-flagged');
  });
  it('resolves only an open dispute and reopens only a resolved one', () => {
    expect(refusalOf(resolved, { kind: 'resolve', outcome: 'other', note: 'x' }, null)).toBe('already-resolved');
    expect(refusalOf(open, { kind: 'resolve', outcome: 'other', note: 'x' }, null)).toBeNull();
    expect(refusalOf(open, { kind: 'reopen', note: 'x' }, null)).toBe('not-resolved');
    expect(refusalOf(resolved, { kind: 'reopen', note: 'x' }, null)).toBeNull();
  });
  it('takes notes and assignments open or resolved; an assignee must exist and be enabled; nobody is always allowed', () => {
    expect(refusalOf(resolved, { kind: 'note', text: 'x' }, null)).toBeNull();
    expect(refusalOf(open, { kind: 'assign', userId: 'U-1' }, null)).toBe('assignee-unknown');
    expect(refusalOf(open, { kind: 'assign', userId: 'U-1' }, { disabled: true })).toBe('assignee-disabled');
    expect(refusalOf(resolved, { kind: 'assign', userId: 'U-1' }, { disabled: false })).toBeNull();
    expect(refusalOf(open, { kind: 'assign', userId: null }, null)).toBeNull();
  });
});

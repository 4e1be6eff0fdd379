// A draft begun under rules the phone lacks: the technician reads what to do, in their language.
import { describe, expect, it } from 'vitest';
import { makeI18n } from '../../src/app/context';
import { describeError } from '../../src/app/errors';
import '../../src/app/i18n/screens';
import { DraftLoadError } from '../../src/device/drafts';

describe('describeError', () => {
  const unknown = new DraftLoadError('f-1', 'filled against checklist onsite-service v9, which this phone does not have (it has onsite-service v1)', 'unknown-checklist', { id: 'onsite-service', version: 9 });

  it('says a draft\'s rules are not on the phone yet and how to get them, naming the version', async () => {
    const en = describeError(makeI18n('en', () => {}), unknown);
    expect(en).toBe('it was begun under the rules onsite-service v9, which this phone does not have yet. Download the visits while online, then open it again; nothing of it is lost.');
    expect(describeError(makeI18n('zh-CN', () => {}), unknown)).toContain('onsite-service v9');
  });

  it('keeps the message of any other draft that cannot be opened', () => {
    const replay = new DraftLoadError('f-1', 'event 3 is refused on replay', 'replay');
    expect(describeError(makeI18n('en', () => {}), replay)).toBe('draft f-1: event 3 is refused on replay');
  });
});

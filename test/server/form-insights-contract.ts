// The equipment history and the dashboard, held to the same figures on both adapters
// (storage.sqlite.test.ts, storage.postgres.test.ts): the dashboard's numbers are checked against a
// count done here, in plain code, over a known set of forms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardQuery } from '../../src/domain/api';
import { OFFER_KINDS } from '../../src/domain/checklist';
import type { FormFacts } from '../../src/domain/form-facts';
import type { NewFormRecord, Storage } from '../../src/server/storage/storage';
import { registry, type StorageFactory } from './helpers';
import { historyReader } from '../../src/server/storage/equipment-history';

const T0 = '2026-03-10T08:00:00.000Z';
const hex = (n: number) => n.toString(16).padStart(64, '0');
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const DAY = 86_400_000;
const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

interface Known {
  record: NewFormRecord;
  technicianId: string;
}

/** Form n of the known set: every figure the dashboard counts varies with n, none in step with another. */
function knownForm(n: number): Known {
  const technicianId = n % 3 === 0 ? 'tech-2' : 'tech-1';
  const facts: FormFacts = {
    equipmentSerial: `SN-${n % 4}`,
    firstTestFailed: n % 5 === 1,
    // repeated values on purpose: the nearest-rank percentiles must pick the same one on both databases
    onSiteMs: n % 11 === 0 ? null : ((n * 7919) % 13) * 600_000 + 1_800_000,
    declinedOffers: { cigarette: n % 4 === 0 ? 1 : 0, 'food-drink': n % 6 === 0 ? 2 : 0, gift: n % 9 === 0 ? 1 : 0 },
  };
  return {
    technicianId,
    record: {
      id: uuid(n), hash: hex(n), technicianId, visitId: `V-${n}`,
      // 40 forms over 27 days from Monday 2026-03-02, two on some days
      visitDate: dayAfter('2026-03-02', Math.floor((n * 2) / 3)),
      sealedAt: '2026-03-10T09:00:00+08:00', receivedAt: T0, source: 'api',
      satisfaction: ((n * 3) % 5) + 1,
      dispute: n % 7 === 2,
      conductBreach: n % 8 === 3,
      clockDriftMs: null, customerName: `客户 ${n}`, equipmentType: '洗扫车',
      formJson: JSON.stringify({ id: uuid(n), faultFound: `故障 ${n}`, workDone: `处理 ${n}`, partsUsed: [{ name: `零件 ${n}`, quantity: 1 + (n % 3) }] }),
      signature: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      deviceJson: null,
      facts,
    },
  };
}
const KNOWN = Array.from({ length: 40 }, (_, n) => knownForm(n + 1));

const nearestRank = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
};
const mondayOf = (date: string) => dayAfter(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/** The dashboard's figures, counted here form by form. */
function expectedFigures(query: DashboardQuery, stored: readonly NewFormRecord[] = KNOWN.map((k) => k.record)) {
  const forms = stored.filter((r) => r.visitDate >= query.from && r.visitDate <= query.to
    && (query.technician === undefined || r.technicianId === query.technician));
  const count = (rs: NewFormRecord[], test: (r: NewFormRecord) => boolean) => rs.filter(test).length;
  const meanOf = (rs: NewFormRecord[]) => (rs.length === 0 ? null : rs.reduce((s, r) => s + r.satisfaction, 0) / rs.length);
  const times = (rs: NewFormRecord[]) => rs.flatMap((r) => (r.facts.onSiteMs === null ? [] : [r.facts.onSiteMs]));
  const days = [];
  for (let d = query.from; d <= query.to; d = dayAfter(d, 1)) {
    const on = forms.filter((r) => r.visitDate === d);
    days.push({ date: d, forms: on.length, meanSatisfaction: meanOf(on) });
  }
  const weekKeys = [...new Set(days.map((d) => mondayOf(d.date)))];
  const weeks = weekKeys.map((week) => {
    const inWeek = forms.filter((r) => mondayOf(r.visitDate) === week);
    return {
      week, forms: inWeek.length, meanSatisfaction: meanOf(inWeek),
      disputes: count(inWeek, (r) => r.dispute), conductBreaches: count(inWeek, (r) => r.conductBreach),
      firstTestsFailed: count(inWeek, (r) => r.facts.firstTestFailed),
      onSiteMedianMs: nearestRank(times(inWeek), 50), onSiteP90Ms: nearestRank(times(inWeek), 90),
    };
  });
  const technicianIds = [...new Set(forms.map((r) => r.technicianId))].sort();
  return {
    query,
    forms: forms.length,
    days,
    weeks,
    satisfaction: [1, 2, 3, 4, 5].map((s) => count(forms, (r) => r.satisfaction === s)),
    declinedOffers: Object.fromEntries(OFFER_KINDS.map((k) => [k, forms.reduce((s, r) => s + r.facts.declinedOffers[k], 0)])),
    technicians: technicianIds.map((id) => {
      const own = forms.filter((r) => r.technicianId === id);
      return {
        technicianId: id, technicianName: id === 'tech-1' ? '张师傅' : '李师傅', forms: own.length,
        conductBreaches: count(own, (r) => r.conductBreach), disputes: count(own, (r) => r.dispute),
        meanSatisfaction: meanOf(own), firstTestsFailed: count(own, (r) => r.facts.firstTestFailed),
        onSiteMedianMs: nearestRank(times(own), 50),
      };
    }),
  };
}

export function describeFormInsightsContract(name: string, factory: StorageFactory): void {
  describe(`equipment history and dashboard: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory();
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: T0 });
      await storage.createTechnician({ id: 'tech-2', name: '李师傅', phone: '', createdAt: T0 });
      await storage.storeForms(KNOWN.map((k) => k.record));
    });
    afterEach(async () => {
      await storage.close();
    });

    it('lists one serial\'s forms newest first, paged by keyset to the end, with the repair\'s words', async () => {
      const expected = KNOWN.map((k) => k.record).filter((r) => r.facts.equipmentSerial === 'SN-1')
        .sort((a, b) => b.visitDate.localeCompare(a.visitDate) || b.id.localeCompare(a.id));
      const seen: string[] = [];
      let page = await storage.listEquipmentHistory('SN-1', { after: null, limit: 3 });
      for (;;) {
        seen.push(...page.entries.map((e) => e.formId));
        if (!page.next) break;
        page = await storage.listEquipmentHistory('SN-1', { after: page.next, limit: 3 });
      }
      expect(seen).toEqual(expected.map((r) => r.id));
      const first = (await storage.listEquipmentHistory('SN-1', { after: null, limit: 1 })).entries[0]!;
      const n = KNOWN.findIndex((k) => k.record.id === first.formId) + 1;
      expect(first).toEqual({
        formId: uuid(n), visitDate: expected[0]!.visitDate, technicianId: expected[0]!.technicianId,
        technicianName: expected[0]!.technicianId === 'tech-1' ? '张师傅' : '李师傅',
        faultFound: `故障 ${n}`, workDone: `处理 ${n}`, partsUsed: [{ name: `零件 ${n}`, quantity: 1 + (n % 3) }],
        satisfaction: expected[0]!.satisfaction, dispute: expected[0]!.dispute, conductBreach: expected[0]!.conductBreach,
      });
    });

    it('reads a format-2 form\'s words by its version\'s roles, given the published checklists', async () => {
      const two = knownForm(101);
      const formJson = JSON.stringify({
        id: two.record.id, formatVersion: 2, checklist: { id: 'onsite-service', version: 1 },
        answers: { 'form.fault-found': '液压泵漏油', 'form.work-done': '更换密封圈', 'form.parts-used': [{ code: 'P-7', name: '密封圈', quantity: 3 }] },
      });
      await storage.storeForms([{ ...two.record, formJson, facts: { ...two.record.facts, equipmentSerial: 'SN-TWO' } }]);
      const [entry] = (await storage.listEquipmentHistory('SN-TWO', { after: null, limit: 5, words: historyReader(registry) })).entries;
      expect(entry).toMatchObject({ faultFound: '液压泵漏油', workDone: '更换密封圈', partsUsed: [{ name: '密封圈', quantity: 3 }] });
      // without the checklists only format-1 forms have words: the entry is still listed
      const [bare] = (await storage.listEquipmentHistory('SN-TWO', { after: null, limit: 5 })).entries;
      expect(bare).toMatchObject({ formId: two.record.id, faultFound: '', workDone: '', partsUsed: [] });
    });

    it('has no history for an unknown serial nor for the empty one (forms without a serial)', async () => {
      await storage.storeForms([{ ...knownForm(99).record, facts: { ...knownForm(99).record.facts, equipmentSerial: '' } }]);
      expect(await storage.listEquipmentHistory('SN-404', { after: null, limit: 10 })).toEqual({ entries: [], next: null });
      expect(await storage.listEquipmentHistory('', { after: null, limit: 10 })).toEqual({ entries: [], next: null });
      expect(await storage.listEquipmentHistory('SN\u0000', { after: null, limit: 10 })).toEqual({ entries: [], next: null });
    });

    const periods: Array<[string, DashboardQuery]> = [
      ['the whole period (four whole weeks)', { from: '2026-03-02', to: '2026-03-29' }],
      ['a period starting and ending mid-week, with empty days around it', { from: '2026-02-25', to: '2026-03-18' }],
      ['one technician', { from: '2026-03-02', to: '2026-03-29', technician: 'tech-2' }],
      ['a technician with no forms', { from: '2026-03-02', to: '2026-03-29', technician: 'nobody' }],
      // under a tenth of the counted dates: each technician's median is sought in the index by date
      ['two days', { from: '2026-03-04', to: '2026-03-05' }],
      // the counts of whole months (and of the days around them), the buckets of whole weeks and months
      ['a whole month', { from: '2026-03-01', to: '2026-03-31' }],
      ['a whole month, one technician', { from: '2026-03-01', to: '2026-03-31', technician: 'tech-1' }],
      ['whole months and the days around them', { from: '2026-02-20', to: '2026-04-05' }],
      ['a month from its middle, then a whole month', { from: '2026-03-11', to: '2026-04-30' }],
      ['a month from its middle, then a whole month, one technician', { from: '2026-03-11', to: '2026-04-30', technician: 'tech-2' }],
    ];
    for (const [what, query] of periods) {
      it(`gives the dashboard's figures as counted form by form: ${what}`, async () => {
        const expected = expectedFigures(query);
        const got = await storage.dashboard(query);
        // means are quotients: compare them to the last few digits, everything else exactly
        const rounded = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));
        expect(rounded(got)).toEqual(rounded(expected));
        if (what.startsWith('the whole period')) {
          // the known set does reach every figure (so none of the checks above compares zero with zero)
          expect(got.forms).toBe(40);
          expect(got.weeks.every((w) => w.disputes + w.conductBreaches + w.firstTestsFailed > 0 && w.onSiteMedianMs !== null)).toBe(true);
          expect(Object.values(got.declinedOffers).every((n) => n > 0)).toBe(true);
          expect(got.satisfaction.every((n) => n > 0)).toBe(true);
        }
      });
    }

    it('keeps its counts equal to a count of the forms through concurrent batches, resends and conflicts', async () => {
      const more = Array.from({ length: 60 }, (_, i) => knownForm(100 + i).record);
      // three batches at once, overlapping: every form of `more` lands once, in whichever batch is first;
      // a resend within a batch, a resend of a form already there and a conflicting copy add nothing
      // (the conflicting copy is of a form stored before: which of two copies sent at once lands first is the race's)
      const conflicting = { ...KNOWN[4]!.record, hash: hex(5555), satisfaction: 1, dispute: true };
      await Promise.all([
        storage.storeForms([...more.slice(0, 30), more[3]!, KNOWN[0]!.record]),
        storage.storeForms([...more.slice(20, 50).reverse(), conflicting]),
        storage.storeForms([...more.slice(40), ...more.slice(0, 5)]),
      ]);
      const all = [...KNOWN.map((k) => k.record), ...more];
      const query = { from: '2026-02-01', to: '2026-06-30' };
      const got = await storage.dashboard(query);
      expect(got.forms).toBe(all.length);
      const rounded = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));
      expect(rounded(got)).toEqual(rounded(expectedFigures(query, all)));
      expect(rounded(await storage.dashboard({ ...query, technician: 'tech-2' }))).toEqual(rounded(expectedFigures({ ...query, technician: 'tech-2' }, all)));
    });

    it('gives the figures as counted form by form over whole months with forms on the days around them, batch after batch', async () => {
      // forms from 2026-05-07 to 2026-06-16, landing in batches of every size: the summaries add up as they land
      const more = Array.from({ length: 60 }, (_, i) => knownForm(100 + i).record);
      for (let i = 0, size = 1; i < more.length; i += size, size += 3) await storage.storeForms(more.slice(i, i + size));
      const all = [...KNOWN.map((k) => k.record), ...more];
      const rounded = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));
      for (const query of [
        { from: '2026-03-15', to: '2026-06-10' },
        { from: '2026-03-15', to: '2026-06-10', technician: 'tech-1' },
        { from: '2026-03-02', to: '2026-06-16' },
        { from: '2026-05-31', to: '2026-06-01' },
      ]) {
        const got = await storage.dashboard(query);
        expect(got.forms).toBeGreaterThan(0);
        expect(rounded(got), JSON.stringify(query)).toEqual(rounded(expectedFigures(query, all)));
      }
    });

    it('counts a form once: a conflicting resubmission adds nothing', async () => {
      const before = await storage.dashboard({ from: '2026-03-02', to: '2026-03-27' });
      await storage.storeForms([{ ...KNOWN[0]!.record, hash: hex(999), satisfaction: 1 }]);
      expect(await storage.dashboard({ from: '2026-03-02', to: '2026-03-27' })).toEqual(before);
    });
  });
}

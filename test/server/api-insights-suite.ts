// The equipment history and the dashboard through the API, on one adapter: the phone's visits with
// their equipment's last forms (and the first answer format unchanged for older apps), the back
// office's history and dashboard routes, and every refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, VisitsResponseSchema, VisitsResponseV2Schema } from '../../src/domain/api';
import { formFacts } from '../../src/domain/form-facts';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { openHarness, type Harness } from './api-harness';
import { makeForm, type StorageFactory } from './helpers';

const day = (d: number) => ({ date: `2026-03-0${d}`, firstVisit: false, festival: null });
const visit = (id: string, serial: string) => ({
  id, technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: false,
  customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' }, equipment: { type: '洗扫车', model: 'XS-5000', serial }, notes: '',
});

export function describeInsightsApi(name: string, factory: StorageFactory): void {
  describe(`equipment history and dashboard API: ${name}`, () => {
    let h: Harness;
    let tokens: { mine: string; theirs: string };
    let earlier: SubmittedForm[];
    beforeEach(async () => {
      h = await openHarness(factory);
      tokens = { mine: await h.enroll('tech-1'), theirs: await h.enroll('tech-2', '李师傅') };
      // four earlier repairs of serial SN-123456 (the fixture's), one of them by the other technician
      earlier = [];
      for (const d of [5, 6, 7, 8]) {
        const technicianId = d === 7 ? 'tech-2' : 'tech-1';
        const form = await makeForm({ facts: day(d), visitId: `V-old-${d}`, technicianId, technicianName: technicianId === 'tech-1' ? '张师傅' : '李师傅' });
        expect((await h.submit(technicianId === 'tech-1' ? tokens.mine : tokens.theirs, [form])).body.results[0].status).toBe('accepted');
        earlier.push(form);
      }
      for (const v of [visit('V-next', 'SN-123456'), visit('V-no-serial', ''), visit('V-new-unit', 'SN-NEW')]) {
        expect((await h.call('POST', API.admin.visits, { json: v })).status).toBe(201);
      }
    });
    afterEach(async () => {
      await h.close();
    });

    describe('visits sent to the phone', () => {
      it('without a format: the first format exactly, which an app cached before the history reads strictly', async () => {
        const res = await h.call('GET', API.visits, { token: tokens.mine });
        expect(res.status).toBe(200);
        expect(VisitsResponseSchema.safeParse(res.body).success).toBe(true);
        expect(Object.keys(res.body)).toEqual(['visits']);
        expect(res.body.visits.map((v: object) => 'history' in v)).toEqual([false, false, false]);
      });

      it('with format 2: each visit carries the last three forms of its serial, newest first, whoever made them', async () => {
        const res = await h.call('GET', `${API.visits}?format=2`, { token: tokens.mine });
        expect(res.status).toBe(200);
        const parsed = VisitsResponseV2Schema.parse(res.body);
        const byId = Object.fromEntries(parsed.visits.map((v) => [v.id, v.history]));
        expect(byId['V-next']).toEqual([8, 7, 6].map((d) => ({
          visitDate: `2026-03-0${d}`, faultFound: '主刷电机碳刷磨损', workDone: '更换碳刷，清理刷盘', partsUsed: [{ name: '碳刷', quantity: 2 }],
        })));
        expect(byId['V-no-serial']).toEqual([]);
        expect(byId['V-new-unit']).toEqual([]);
      });

      it('refuses a format it does not know, naming the parameter', async () => {
        const res = await h.call('GET', `${API.visits}?format=3`, { token: tokens.mine });
        expect(res.status).toBe(400);
        expect(res.body.error.errors).toEqual([{ path: 'format', message: expect.stringMatching(/expected 2/) }]);
      });
    });

    describe('equipment history (back office)', () => {
      it('lists every form of the serial newest first, page by page', async () => {
        const first = await h.call('GET', `${API.admin.equipmentHistory}?serial=SN-123456&limit=3`);
        expect(first.status).toBe(200);
        expect(first.body.serial).toBe('SN-123456');
        expect(first.body.forms.map((f: { visitDate: string }) => f.visitDate)).toEqual(['2026-03-08', '2026-03-07', '2026-03-06']);
        expect(first.body.forms[1]).toEqual({
          formId: earlier[2]!.form.id, visitDate: '2026-03-07', technicianId: 'tech-2', technicianName: '李师傅',
          faultFound: '主刷电机碳刷磨损', workDone: '更换碳刷，清理刷盘', partsUsed: [{ name: '碳刷', quantity: 2 }],
          satisfaction: 5, dispute: false, conductBreach: false,
        });
        const rest = await h.call('GET', `${API.admin.equipmentHistory}?${new URLSearchParams({ serial: 'SN-123456', limit: '3', cursor: first.body.nextCursor })}`);
        expect(rest.body.forms.map((f: { formId: string }) => f.formId)).toEqual([earlier[0]!.form.id]);
        expect(rest.body.nextCursor).toBeNull();
      });

      it('refuses a missing serial, a bad cursor or limit and an unknown parameter, each by name', async () => {
        const errorPaths = async (query: string) => (await h.call('GET', `${API.admin.equipmentHistory}?${query}`)).body.error.errors.map((e: { path: string }) => e.path);
        expect(await errorPaths('')).toEqual(['serial']);
        expect(await errorPaths('serial=SN-1&cursor=nope')).toEqual(['cursor']);
        expect(await errorPaths('serial=SN-1&limit=0')).toEqual(['limit']);
        expect(await errorPaths('serial=SN-1&limit=201')).toEqual(['limit']);
        expect(await errorPaths('serial=SN-1&seriall=x')).toEqual(['seriall']);
        // (a phone's token is refused on these routes as on every back-office route: api-phone-suite.ts)
      });
    });

    describe('dashboard', () => {
      it('answers the period\'s figures, equal to a count over the forms sent', async () => {
        const res = await h.call('GET', `${API.admin.dashboard}?from=2026-03-02&to=2026-03-15`);
        expect(res.status).toBe(200);
        const times = earlier.map((f) => formFacts(f.form).onSiteMs!).sort((a, b) => a - b);
        expect(res.body.forms).toBe(4);
        expect(res.body.days).toHaveLength(14);
        expect(res.body.days.filter((d: { forms: number }) => d.forms > 0).map((d: { date: string }) => d.date)).toEqual(['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
        expect(res.body.weeks.map((w: { week: string; forms: number }) => [w.week, w.forms])).toEqual([['2026-03-02', 4], ['2026-03-09', 0]]);
        expect(res.body.weeks[0].onSiteMedianMs).toBe(times[1]);
        expect(res.body.weeks[0].onSiteP90Ms).toBe(times[3]);
        expect(res.body.satisfaction).toEqual([0, 0, 0, 0, 4]);
        expect(res.body.declinedOffers).toEqual({ cigarette: 4, 'food-drink': 0, gift: 0 });
        expect(res.body.technicians.map((t: { technicianId: string; technicianName: string; forms: number }) => [t.technicianId, t.technicianName, t.forms]))
          .toEqual([['tech-1', '张师傅', 3], ['tech-2', '李师傅', 1]]);
        const one = await h.call('GET', `${API.admin.dashboard}?from=2026-03-02&to=2026-03-15&technician=tech-2`);
        expect([one.body.forms, one.body.technicians.length]).toEqual([1, 1]);
      });

      it('refuses a period without both ends, backwards, too long, or with an unknown parameter', async () => {
        const refused = async (query: string) => {
          const res = await h.call('GET', `${API.admin.dashboard}?${query}`);
          expect(res.status, query).toBe(400);
          return res.body.error.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`).join('; ');
        };
        expect(await refused('from=2026-03-02')).toMatch(/^to: /);
        expect(await refused('from=2026-03-02&to=2026-13-01')).toMatch(/^to: /);
        expect(await refused('from=2026-03-02&to=2026-03-01')).toMatch(/to: expected a date on or after 2026-03-02/);
        expect(await refused('from=2024-01-01&to=2026-03-01')).toMatch(/at most 731 days/);
        expect(await refused('from=2026-03-02&to=2026-03-03&tech=1')).toMatch(/tech/);
      });
    });
  });
}

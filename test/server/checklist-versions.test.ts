// A v2 published beside v1 in a temporary checklists directory, with one more required prepare tick
// and no source change: new visits take v2 and cannot start without the new tick, the server serves
// both versions to the phones, and a form sealed under v1 still lands, shows and exports.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import type { Checklist } from '../../src/domain/checklist';
import type { ChecklistRegistry } from '../../src/domain/checklist-registry';
import { sealForm } from '../../src/domain/seal';
import { buildFormBody } from '../../src/domain/service-form';
import { apply, createVisit } from '../../src/domain/visit-workflow';
import { loadChecklists } from '../../src/server/checklists';
import { publishChecklist } from '../../src/server/checklists-publish';
import { tempChecklistsDir, v2WithTorch } from '../fixtures/checklists';
import { completeVisitActionsFor } from '../fixtures/visit-actions';
import { fakeClock, header, ordinaryDay, run, signatureBytes, signatureFor, submittedForm } from '../fixtures/visits';
import { openHarness, type Harness } from './api-harness';
import { sqliteFactory } from './helpers';

let temp: ReturnType<typeof tempChecklistsDir>;
let registry: ChecklistRegistry;
let h: Harness;
let token: string;

beforeAll(async () => {
  temp = tempChecklistsDir();
  const file = join(temp.dir, '..', `winter-${crypto.randomUUID()}.json`);
  writeFileSync(file, `${JSON.stringify(v2WithTorch(), null, 2)}\n`);
  publishChecklist(temp.dir, file);
  registry = loadChecklists(temp.dir);
  h = await openHarness(sqliteFactory(), { checklists: registry });
  token = await h.enroll();
});
afterAll(async () => {
  await h?.close();
  temp?.remove();
});

async function sealedUnder(checklist: Checklist) {
  const bytes = signatureBytes(7);
  const state = run(createVisit(checklist, ordinaryDay), completeVisitActionsFor(checklist, ordinaryDay, await signatureFor(bytes)), fakeClock());
  const form = await sealForm(buildFormBody(state, header()), bytes);
  return { form, signaturePng: Buffer.from(bytes).toString('base64') };
}

describe('a v2 published beside v1', () => {
  it('is the newest: a new visit under it cannot start until the new tick is done', () => {
    const newest = registry.newest('onsite-service')!;
    expect(newest.version).toBe(2);
    const clock = fakeClock();
    const v1Ticks = registry.get('onsite-service', 1)!.items.filter((i) => i.phase === 'prepare' && i.kind === 'tick' && i.condition !== 'festival');
    const ticked = run(createVisit(newest, ordinaryDay), v1Ticks.map((i) => ({ type: 'tick', item: i.id })), clock);
    const refused = apply(ticked, { type: 'step', step: 'start-visit' }, clock);
    expect(refused).toMatchObject({ ok: false, refusal: { key: 'refusal.missingPrerequisite', params: { missing: 'kit.torch' } } });
    const torch = run(ticked, [{ type: 'tick', item: 'kit.torch' }], clock);
    expect(apply(torch, { type: 'step', step: 'start-visit' }, clock).ok).toBe(true);
  });

  it('is served to the phones with v1, each version at its own path', async () => {
    expect((await h.call('GET', API.checklists, { token })).body).toEqual({ checklists: [{ id: 'onsite-service', version: 1 }, { id: 'onsite-service', version: 2 }] });
    const v2 = await h.call('GET', `${API.checklists}/onsite-service/2`, { token });
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual(registry.get('onsite-service', 2));
    expect(v2.body.items.map((i: { id: string }) => i.id)).toContain('kit.torch');
    expect((await h.call('GET', `${API.checklists}/onsite-service/1`, { token })).body).toEqual(registry.get('onsite-service', 1));
  });

  it('answers 404 naming what there is for a version that was never published, and 401 without a phone\'s token', async () => {
    for (const path of ['onsite-service/3', 'onsite-service/two', 'winter/1']) {
      const missing = await h.call('GET', `${API.checklists}/${path}`, { token });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('this server has onsite-service v1, onsite-service v2');
    }
    expect((await h.call('GET', API.checklists, { token: null })).status).toBe(401);
  });

  it('takes a form sealed under v1 and one under v2, each validated under its own version, and exports both', async () => {
    const underV1 = await submittedForm({ seed: 3 });
    const underV2 = await sealedUnder(registry.get('onsite-service', 2)!);
    expect(underV2.form.items.map((i) => i.id)).toContain('kit.torch');
    const answer = await h.submit(token, [underV1, underV2]);
    expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);

    for (const { form } of [underV1, underV2]) {
      const detail = await h.call('GET', `${API.admin.forms}/${form.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.form.checklist).toEqual(form.checklist);
    }
    const csv = await h.call('GET', API.admin.exportCsv);
    expect(csv.text.split('\n').find((line) => line.includes(underV1.form.id))).toContain('onsite-service v1');
    expect(csv.text.split('\n').find((line) => line.includes(underV2.form.id))).toContain('onsite-service v2');
    const ndjson = (await h.call('GET', API.admin.exportNdjson)).text.trim().split('\n').map((line) => JSON.parse(line) as { form: { id: string; checklist: unknown } });
    expect(ndjson.map((line) => [line.form.id, line.form.checklist])).toEqual(expect.arrayContaining([
      [underV1.form.id, { id: 'onsite-service', version: 1 }],
      [underV2.form.id, { id: 'onsite-service', version: 2 }],
    ]));
  });

  it('refuses a form walked under v1 but sealed as v2: replayed under its own version, the new tick is missing', async () => {
    const v1 = registry.get('onsite-service', 1)!;
    const bytes = signatureBytes(8);
    const state = run(createVisit(v1, ordinaryDay), completeVisitActionsFor(v1, ordinaryDay, await signatureFor(bytes)), fakeClock());
    const form = await sealForm({ ...buildFormBody(state, header()), checklist: { id: 'onsite-service', version: 2 } }, bytes);
    const [result] = (await h.submit(token, [{ form, signaturePng: Buffer.from(bytes).toString('base64') }])).body.results;
    expect(result.status).toBe('rejected');
    const startAt = form.events.findIndex((e) => e.action.type === 'step' && e.action.step === 'start-visit');
    expect(result.errors).toEqual([expect.objectContaining({
      path: `form.events[${startAt}]`,
      reason: { code: 'event-refused', params: { seq: startAt, rule: 'five-treasures', refusal: 'refusal.missingPrerequisite' } },
    })]);
  });
});

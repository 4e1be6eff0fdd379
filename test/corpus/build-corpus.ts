// Writes the corpus files that hold real sealed forms (made by the real engine, with fixed ids, so the
// output is the same on every run): `npx tsx test/corpus/build-corpus.ts`. Run it again when the form
// format or the checklist changes; the hand-written files (broken JSON, CSV, enrollment…) are not touched.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { bodyOf, computeSealHash, sha256Hex } from '../../src/domain/seal';
import { bundleOf, HOSTILE, makeForm, type FormOptions } from '../server/helpers';
import { gb18030 } from '../server/sheets/gb18030';
import { workbookEntries, zipOf } from '../server/sheets/zip-builder';
import { CORPUS_DIR } from './corpus';

/** A stable UUID (v4 layout) per name, so a rebuilt corpus is byte-identical. */
function corpusFormId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// format 1, as the phones before value types sealed them: these files are the evidence that such forms still land
const form = (name: string, options: FormOptions = {}) => makeForm({ formId: corpusFormId(name), formatVersion: 1, ...options });

type Mutable = Record<string, any>;

/** A copy changed after sealing, without a new seal: what a form altered in transit looks like. */
function edited(submitted: SubmittedForm, change: (copy: Mutable) => void): Mutable {
  const copy = structuredClone(submitted) as Mutable;
  change(copy);
  return copy;
}

/** A copy changed and sealed again: what someone who knows the seal's recipe could make. */
async function resealed(submitted: SubmittedForm, change: (copy: Mutable) => void): Promise<Mutable> {
  const copy = edited(submitted, change);
  copy.form.seal.hash = await computeSealHash(bodyOf(copy.form), Buffer.from(copy.signaturePng, 'base64'));
  return copy;
}

/** `{"forms": [...]}`, one form a line. */
const batch = (...forms: unknown[]) => `{"forms": [\n${forms.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;

/** Replaces exactly one occurrence of `from` in JSON text: for what JSON.stringify cannot write. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw new Error(`expected exactly one ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const withSeq = (events: Mutable[]) => events.map((e, i) => ({ ...e, seq: i }));
const eventIndex = (f: Mutable, match: (action: Mutable) => boolean) => (f.form.events as Mutable[]).findIndex((e) => match(e.action));

async function formsApiFiles(): Promise<Record<string, string | Uint8Array>> {
  const base = await form('forms-api/base');
  const other = await form('forms-api/other-base', { seed: 2 });
  const files: Record<string, string | Uint8Array> = {};

  files['forms-api/valid-path-sql-script.json'] = batch(
    await form('valid/path', { text: '../../etc/passwd', technicianName: '../../etc/passwd', dispute: '../../etc/passwd' }),
    await form('valid/sql', { text: "'; DROP TABLE forms; --", technicianName: "'; DROP TABLE forms; --", seed: 2 }),
    await form('valid/script', { text: '<script>alert(1)</script>', technicianName: '<script>alert(1)</script>', dispute: '<img src=x onerror=alert(1)>', seed: 3 }),
  );
  files['forms-api/valid-hostile-text.json'] = batch(...await Promise.all(HOSTILE.map((text, i) => form(`valid/hostile-${i}`, { text, seed: i + 4 }))));

  const junkSeal = edited(await form('mixed/altered', { seed: 2 }), (f) => void (f.form.customerOpinion = '不满意'));
  files['forms-api/mixed-batch.json'] = batch(
    await form('mixed/first'), junkSeal, 'not a form', await form('mixed/theirs', { technicianId: 'tech-2', seed: 3 }), await form('mixed/last', { seed: 4 }),
  );

  files['forms-api/seal-missing.json'] = batch(edited(base, (f) => void delete f.form.seal));
  files['forms-api/seal-null.json'] = batch(edited(base, (f) => void (f.form.seal = null)));
  files['forms-api/seal-hash-altered.json'] = batch(edited(base, (f) => {
    const hash = f.form.seal.hash as string;
    f.form.seal.hash = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
  }));
  files['forms-api/seal-alg-md5.json'] = batch(edited(base, (f) => void (f.form.seal.alg = 'MD5')));
  files['forms-api/seal-of-another-form.json'] = batch(edited(base, (f) => void (f.form.seal = other.form.seal)));

  const flipped = Buffer.from(base.signaturePng, 'base64');
  flipped[100] = flipped[100]! ^ 0xff;
  files['forms-api/signature-bytes-altered.json'] = batch(edited(base, (f) => void (f.signaturePng = flipped.toString('base64'))));
  // the descriptor alone changed (the signature's set-event still holds the original)
  const widened = (f: Mutable) => void (f.form.signature = { ...f.form.signature, width: 601 });
  files['forms-api/signature-descriptor-altered.json'] = batch(edited(base, widened));
  files['forms-api/signature-descriptor-resealed.json'] = batch(await resealed(base, widened));
  // other bytes, described consistently everywhere and sealed again: nothing in the form can tell, but the
  // id is taken, so it is a conflict kept aside, never a replacement
  const original = await form('forms-api/forged-original');
  const flippedSha = await sha256Hex(flipped);
  files['forms-api/signature-forged-same-id.json'] = batch(original, await resealed(original, (f) => {
    f.signaturePng = flipped.toString('base64');
    f.form.signature.sha256 = flippedSha;
  }));
  files['forms-api/signature-png-missing.json'] = batch(edited(base, (f) => void delete f.signaturePng));
  files['forms-api/signature-png-not-base64.json'] = batch(edited(base, (f) => void (f.signaturePng = '<svg onload=alert(1)>')));

  files['forms-api/event-log-gloves-removed.json'] = batch(await resealed(base, (f) => {
    const at = eventIndex(f, (a) => a.type === 'step' && a.step === 'confirm-gloves');
    f.form.events = withSeq((f.form.events as Mutable[]).filter((_, i) => i !== at));
  }));
  files['forms-api/event-log-tests-swapped.json'] = batch(await resealed(base, (f) => {
    const events = f.form.events as Mutable[];
    const mine = eventIndex(f, (a) => a.type === 'test' && a.by === 'technician');
    const theirs = eventIndex(f, (a) => a.type === 'test' && a.by === 'customer');
    [events[mine], events[theirs]] = [events[theirs]!, events[mine]!];
    f.form.events = withSeq(events);
  }));
  files['forms-api/event-log-satisfaction-edited.json'] = batch(await resealed(base, (f) => {
    const at = eventIndex(f, (a) => a.type === 'set' && a.field === 'satisfaction');
    f.form.events[at].action.value = 1;
  }));

  files['forms-api/other-technicians-form.json'] = batch(await form('forms-api/tech-2', { technicianId: 'tech-2' }));
  files['forms-api/own-form-other-token.json'] = batch(await form('forms-api/tech-1-other-token'));
  files['forms-api/revoked-token.json'] = batch(await form('forms-api/revoked'));
  files['forms-api/no-token.json'] = batch(await form('forms-api/no-token'));
  files['forms-api/admin-token.json'] = batch(await form('forms-api/admin-token'));

  files['forms-api/wrong-types-every-level.json'] = batch(
    'a string', 1, null, [], true,
    edited(base, (f) => void (f.form = [])),
    edited(base, (f) => void (f.form.customer = '某市环卫处')),
    edited(base, (f) => void (f.form.items = {})),
    edited(base, (f) => void (f.form.events = 'all done')),
    edited(base, (f) => void (f.form.satisfaction = '5')),
    edited(base, (f) => void (f.form.visit.firstVisit = 'yes')),
    edited(base, (f) => void (f.form.signature.points[0].points[0].x = '10')),
    edited(base, (f) => void (f.form.partsUsed[0].quantity = 1.5)),
    edited(base, (f) => void (f.form.checklist.version = '1')),
    edited(base, (f) => void (f.signaturePng = 123)),
    edited(base, (f) => void (f.form.events[0].action = null)),
    edited(base, (f) => void (f.form = JSON.stringify(f.form))),
  );
  files['forms-api/unknown-fields-every-level.json'] = batch(
    edited(base, (f) => void (f.technicianId = 'tech-2')),
    edited(base, (f) => void (f.form.receivedAt = '2020-01-01T00:00:00Z')),
    edited(base, (f) => void (f.form.visit.priority = 'high')),
    edited(base, (f) => void (f.form.customer.email = 'x@example.com')),
    edited(base, (f) => void (f.form.equipment.year = 2020)),
    edited(base, (f) => void (f.form.technician.role = 'admin')),
    edited(base, (f) => void (f.form.items[0].note = 'x')),
    edited(base, (f) => void (f.form.events[0].device = 'x')),
    edited(base, (f) => void (f.form.events[0].action.by = 'x')),
    edited(base, (f) => void (f.form.signature.points[0].points[0].z = 0)),
    edited(base, (f) => void (f.form.seal.key = 'x')),
    edited(base, (f) => void (f.form.flags.vip = true)),
    await form('unknown-fields/valid', { seed: 2 }),
  );

  const baseText = JSON.stringify(base);
  files['forms-api/number-1e309.json'] = `{"forms": [\n${replaceOnce(baseText, '"satisfaction":5', '"satisfaction":1e309')}\n]}\n`;
  files['forms-api/number-negative-zero.json'] = `{"forms": [\n${replaceOnce(baseText, '"satisfaction":5', '"satisfaction":-0')}\n]}\n`;
  files['forms-api/number-2-53-plus-1.json'] = `{"forms": [\n${replaceOnce(baseText, '"seq":0', '"seq":9007199254740993')}\n]}\n`;
  files['forms-api/lone-surrogate-escaped.json'] = `{"forms": [\n${replaceOnce(baseText, '"name":"某市环卫处"', '"name":"某市\\ud800环卫处"')}\n]}\n`;
  files['forms-api/nul-in-text.json'] = batch(await form('forms-api/nul', { text: '主刷\u0000不转' }));
  files['forms-api/raw-nul-byte.json'] = `{"forms": [\n${replaceOnce(baseText, '"name":"某市环卫处"', '"name":"某市\u0000环卫处"')}\n]}\n`;
  files['forms-api/proto-pollution-form.json'] = `{"forms": [\n${replaceOnce(baseText, '"format":"onsite.service-form"', '"__proto__":{"polluted":true},"format":"onsite.service-form"')}\n]}\n`;
  files['forms-api/constructor-keys.json'] = `{"forms": [\n${replaceOnce(replaceOnce(baseText, '"name":"某市环卫处"', '"constructor":{"prototype":{"polluted":true}},"name":"某市环卫处"'),
    '"conduct":{', '"conduct":{"__proto__":"kept","constructor":"kept",')}\n]}\n`;
  const duplicated = JSON.stringify(await form('forms-api/duplicate-key-in-form'));
  files['forms-api/duplicate-key-in-form.json'] = `{"forms": [\n${replaceOnce(duplicated, '"satisfaction":5', '"satisfaction":1,"satisfaction":5')}\n]}\n`;
  const dupLanded = await form('forms-api/duplicate-forms-key');
  files['forms-api/duplicate-forms-key.json'] = `{"forms": [], "forms": [\n${JSON.stringify(dupLanded)}\n]}\n`;
  files['forms-api/truncated-batch.json'] = batch(base).slice(0, 3000);
  const [head, tail] = replaceOnce(baseText, '"name":"某市环卫处"', '"name":"@@"').split('@@');
  files['forms-api/invalid-utf8-in-form.json'] = Buffer.concat([Buffer.from(`{"forms": [\n${head}`), Buffer.from([0xe6, 0x9f, 0xff, 0xe5]), Buffer.from(`${tail}\n]}\n`)]);
  files['forms-api/utf16le-batch.json'] = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(batch(await form('forms-api/utf16')), 'utf16le')]);

  // templates: the test puts the big part in at run time (see the manifest's "generate")
  files['forms-api/huge-customer-name.template.json'] = `{"forms": [\n${replaceOnce(JSON.stringify(await form('forms-api/huge-name')), '"name":"某市环卫处"', '"name":"@@HUGE@@"')}\n]}\n`;
  files['forms-api/deep-nesting.template.json'] = `{"forms": [\n@@DEEP@@,\n${JSON.stringify(await form('forms-api/deep-valid'))}\n]}\n`;
  files['forms-api/deep-nesting-in-field.template.json'] = `{"forms": [\n${replaceOnce(baseText, '"name":"某市环卫处"', '"name":@@DEEP@@')}\n]}\n`;
  files['forms-api/batch-51.template.json'] = `{"forms": [@@FORMS@@]}\n`;
  files['forms-api/one-valid-form.json'] = `${JSON.stringify(await form('forms-api/batch-51'))}\n`;
  return files;
}

async function importFiles(): Promise<Record<string, string | Uint8Array>> {
  const files: Record<string, string | Uint8Array> = {};
  const good = await form('import/good');
  const altered = edited(await form('import/altered', { seed: 2 }), (f) => void (f.form.workDone = '没修'));
  const ghost = await form('import/ghost', { technicianId: 'ghost', seed: 3 });
  const sqlTech = await form('import/sql-technician', { technicianId: "'; DROP TABLE technicians; --", seed: 4 });
  const script = await form('import/script', { text: '<script>alert(1)</script>', seed: 5 });
  const header = JSON.parse(bundleOf([])) as Mutable;
  // each file's forms have ids of their own: a bundle wrongly taken must not change what the next one finds
  const own = (file: string) => form(`import/${file}`, { seed: 9 });
  const bundle = async (file: string, changes: Mutable) => `${JSON.stringify({ ...header, ...changes, forms: [await own(file)] })}\n`;

  files['import/mixed-bundle.json'] = bundleOf([good, altered, ghost, 'junk', sqlTech, script]);
  files['import/bundle-wrong-format.json'] = await bundle('wrong-format', { format: 'onsite.bundel' });
  files['import/bundle-wrong-version.json'] = await bundle('wrong-version', { formatVersion: 2 });
  files['import/bundle-exported-at-bad.json'] = await bundle('exported-at', { exportedAt: "'; DROP TABLE forms; --" });
  files['import/bundle-unknown-field.json'] = await bundle('unknown-field', { signedBy: 'admin' });
  files['import/bundle-forms-object.json'] = `${JSON.stringify({ ...header, forms: { 0: await own('forms-object') } })}\n`;
  files['import/bundle-missing-forms.json'] = `${JSON.stringify(header)}\n`.replace(',"forms":[]', '');
  files['import/bundle-root-array.json'] = `${JSON.stringify([await own('root-array')])}\n`;
  files['import/bundle-truncated.json'] = bundleOf([await own('truncated'), script]).slice(0, 9000);
  files['import/bundle-trailing-garbage.json'] = `${bundleOf([await own('trailing-garbage')])}\n{"forms": []}\n`;
  files['import/bundle-utf16le.json'] = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bundleOf([await own('utf16le')]), 'utf16le')]);
  files['import/bundle-duplicate-header-key.json'] = replaceOnce(bundleOf([await own('duplicate-header-key')]), '"format":"onsite.bundle"', '"format":"other","format":"onsite.bundle"');
  files['import/bundle-bom-first.json'] = `\uFEFF${bundleOf([await form('import/bom')])}`;
  const goodText = JSON.stringify(good);
  const at = goodText.indexOf('某市环卫处');
  files['import/bundle-invalid-utf8-in-form.json'] = Buffer.concat([
    Buffer.from(`{"format":"onsite.bundle","formatVersion":1,"exportedAt":"2026-03-10T09:00:00.000+08:00","forms":[${goodText.slice(0, at)}`),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from(`${goodText.slice(at)},${JSON.stringify(await form('import/after-bad-bytes', { seed: 6 }))}]}\n`),
  ]);
  files['import/bundle-deep-nesting.template.json'] = bundleOf([await own('deep-nesting')]).replace('"forms":[', '"forms":[@@DEEP@@,');
  files['import/bundle-huge-device.template.json'] = bundleOf([await own('huge-device')]).replace('"device":"test phone"', '"device":"@@HUGE@@"');

  const ndjsonGood = await form('import/ndjson-good', { seed: 7 });
  const ndjsonScript = await form('import/ndjson-script', { text: '<script>alert(1)</script>', seed: 8 });
  files['import/export-mixed.ndjson'] = [
    JSON.stringify({ ...ndjsonGood, server: { source: 'api', state: 'accepted' } }),
    '',
    'not json at all',
    '[1, 2, 3]',
    JSON.stringify(edited(ndjsonGood, (f) => void (f.form.satisfaction = 1))),
    `${JSON.stringify(ndjsonScript).slice(0, 500)}`,
    JSON.stringify(ndjsonScript),
    '',
  ].join('\n');
  return files;
}

/** Visits files that are bytes rather than typed text: another encoding, or not a CSV at all (each named .csv, as a clerk might). */
function visitsSheetFiles(): Record<string, string | Uint8Array> {
  const header = '派单编号,技师编号,上门日期,首次上门,客户名称,联系电话,用户地址,设备类型,设备型号,设备编号,备注';
  const workbook = zipOf(workbookEntries('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'));
  return {
    'visits-csv/gb18030-chinese-headers.csv': gb18030([header, 'V-G1,tech-1,2026/3/12,是,某市环卫处,0571-8888 0001,"某区, 环卫路 1 号",洗扫车,,,', 'V-G2,tech-1,2026年3月13日,否,李先生,,,垃圾车,,,', ''].join('\r\n')),
    'visits-csv/xls-renamed.csv': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]),
    'visits-csv/xlsx-truncated.csv': workbook.subarray(0, Math.floor(workbook.length / 2)),
    'visits-csv/html-table.csv': '<html><body><table><tr><td>id</td><td>technicianId</td></tr></table></body></html>\r\n',
  };
}

/** Format 2, as this app seals: answers keyed by item id, the signature's points only in its event. */
async function format2Files(): Promise<Record<string, string>> {
  const form2 = (name: string, options: FormOptions = {}) => makeForm({ formId: corpusFormId(name), formatVersion: 2, ...options });
  const files: Record<string, string> = {};
  const base = await form2('format2/base');
  files['forms-api/format2-valid.json'] = batch(base, await form2('format2/hostile', { text: HOSTILE[0], seed: 2 }));
  files['forms-api/format1-and-2-mixed.json'] = batch(await form('format2/mixed-1', { seed: 3 }), await form2('format2/mixed-2', { seed: 4 }));
  files['forms-api/format2-answer-altered.json'] = batch(edited(base, (f) => void (f.form.answers['form.opinion'] = '不满意')));
  files['forms-api/format2-answer-resealed.json'] = batch(await resealed(base, (f) => void (f.form.answers['form.opinion'] = '不满意')));
  files['forms-api/format2-answer-wrong-type.json'] = batch(await resealed(base, (f) => void (f.form.answers['form.satisfaction'] = '5')));
  files['forms-api/format2-unknown-answer.json'] = batch(await resealed(base, (f) => void (f.form.answers['meter.hours'] = 12)));
  files['forms-api/format2-points-twice.json'] = batch(await resealed(base, (f) => {
    const set = (f.form.events as Mutable[]).find((e) => e.action.type === 'set' && e.action.item === 'form.signature')!;
    f.form.signature = { ...f.form.signature, points: set.action.value.points };
  }));
  files['forms-api/format2-v1-names.json'] = batch(await resealed(base, (f) => {
    const { answers, ...rest } = f.form;
    f.form = { ...rest, faultFound: answers['form.fault-found'] };
  }));
  files['forms-api/format3.json'] = batch(await resealed(base, (f) => void (f.form.formatVersion = 3)));
  return files;
}

async function main(): Promise<void> {
  const files = { ...(await formsApiFiles()), ...(await importFiles()), ...visitsSheetFiles(), ...(await format2Files()) };
  for (const [name, content] of Object.entries(files)) {
    const path = join(CORPUS_DIR, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  console.log(`wrote ${Object.keys(files).length} files under ${CORPUS_DIR}`);
}

await main();

// The customer copy's verify link: made only from a well-formed code, read back from its fragment, and
// the public answer checked field by field.
import { describe, expect, it } from 'vitest';
import { parseVerifyAnswer, parseVerifyFragment, verifyCodeProblems, verifyUrl, VERIFY_PATH } from '../../src/domain/verify-link';

const formId = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const seal = 'ab'.repeat(32);

describe('verify link', () => {
  it('puts the form id and the seal in the fragment of the server\'s verify page, under any path prefix', () => {
    expect(verifyUrl('https://onsite.example.com', { formId, seal })).toBe(`https://onsite.example.com${VERIFY_PATH}#f=${formId}&s=${seal}`);
    expect(verifyUrl('https://example.com/onsite/', { formId, seal })).toBe(`https://example.com/onsite/verify#f=${formId}&s=${seal}`);
  });

  it('refuses to make a link from a code that is not one', () => {
    expect(() => verifyUrl('https://x', { formId: 'visit-1', seal })).toThrow(/form: expected a form number \(a UUID\), got "visit-1"/);
    expect(() => verifyUrl('https://x', { formId, seal: seal.toUpperCase() })).toThrow(/seal: expected a seal \(64 lower-case hexadecimal digits\)/);
  });

  it('reads back exactly what it wrote', () => {
    const url = new URL(verifyUrl('https://onsite.example.com', { formId, seal }));
    expect(parseVerifyFragment(url.hash)).toEqual({ ok: true, code: { formId, seal } });
    expect(parseVerifyFragment(`s=${seal}&f=${formId}`)).toEqual({ ok: true, code: { formId, seal } });
  });

  it('names every part of a fragment that is missing, cut or altered', () => {
    const paths = (fragment: string) => {
      const parsed = parseVerifyFragment(fragment);
      return parsed.ok ? [] : parsed.problems.map((p) => p.path);
    };
    expect(paths('')).toEqual(['form', 'seal']);
    expect(paths(`#f=${formId}`)).toEqual(['seal']);
    expect(paths(`#f=${formId}&s=${seal.slice(0, 40)}`)).toEqual(['seal']);
    expect(paths(`#f=${formId.replace('-', '')}&s=${seal}`)).toEqual(['form']);
    expect(paths(`#f=${formId}&s=${seal.slice(0, 63)}g`)).toEqual(['seal']);
    expect(paths(`#f=%E0%A4%A&s=${seal}`)).toEqual(['form']);
    expect(paths(`#f=${formId}%20&s=${seal}`)).toEqual(['form']);
  });

  it('describes what arrived without echoing a long text', () => {
    expect(verifyCodeProblems({ form: 'x'.repeat(500), seal: 7 })).toEqual([
      { path: 'form', message: 'expected a form number (a UUID), got 500 characters' },
      { path: 'seal', message: 'expected a seal (64 lower-case hexadecimal digits), got number' },
    ]);
  });
});

describe('verify answer', () => {
  const held = {
    result: 'held', formId, seal: 'verified', visitDate: '2026-03-10', sealedAt: '2026-03-10T10:00:00.000+08:00',
    equipment: { type: '洗扫车', model: 'XS-5000' }, technicianName: '张师傅', deviceSignature: 'not-recorded',
  };

  it('takes each kind of answer as it is', () => {
    expect(parseVerifyAnswer(held)).toEqual(held);
    for (const result of ['seal-differs', 'conflict', 'unknown']) expect(parseVerifyAnswer({ result, formId })).toEqual({ result, formId });
  });

  it('keeps only the fields an answer has, so nothing else reaches the page', () => {
    expect(parseVerifyAnswer({ ...held, customer: { name: '某市环卫处' } })).toEqual(held);
    expect(parseVerifyAnswer({ result: 'unknown', formId, technicianName: '张师傅' })).toEqual({ result: 'unknown', formId });
  });

  it('refuses an answer that is not one, naming the field', () => {
    expect(() => parseVerifyAnswer(null)).toThrow('the verify answer is not valid at (root)');
    expect(() => parseVerifyAnswer({ result: 'genuine', formId })).toThrow('at result');
    expect(() => parseVerifyAnswer({ ...held, seal: 'ok' })).toThrow('at seal');
    expect(() => parseVerifyAnswer({ ...held, equipment: { type: '洗扫车' } })).toThrow('at equipment.model');
    expect(() => parseVerifyAnswer({ ...held, technicianName: 3 })).toThrow('at technicianName');
    expect(() => parseVerifyAnswer({ ...held, deviceSignature: true })).toThrow('at deviceSignature');
  });
});

describe('verify link, the edges', () => {
  it('trims every trailing slash of the server base, and keeps an upper-case form id as it is', () => {
    expect(verifyUrl('https://example.com///', { formId, seal })).toBe(`https://example.com/verify#f=${formId}&s=${seal}`);
    expect(verifyUrl('https://example.com', { formId: formId.toUpperCase(), seal })).toBe(`https://example.com/verify#f=${formId.toUpperCase()}&s=${seal}`);
  });

  it('reads a fragment as a query: the first of a repeated name, + as a space, a name without a value as empty', () => {
    expect(parseVerifyFragment(`#f=${formId}&s=${seal}&f=${'0'.repeat(8)}`)).toEqual({ ok: true, code: { formId, seal } });
    expect(parseVerifyFragment(`#f&f=${formId}&s=${seal}`)).toEqual({ ok: false, problems: [{ path: 'form', message: 'expected a form number (a UUID), got ""' }] });
    expect(parseVerifyFragment(`#f=${formId}+&s=${seal}`)).toEqual({ ok: false, problems: [{ path: 'form', message: `expected a form number (a UUID), got "${formId} "` }] });
    expect(parseVerifyFragment(`#f=${formId.replaceAll('-', '%2D')}&s=${seal}`)).toEqual({ ok: true, code: { formId, seal } });
    expect(parseVerifyFragment(`#f=${formId}&s=${seal}=`)).toMatchObject({ ok: false, problems: [{ path: 'seal' }] });
  });

  it('says what arrived: nothing, a short text as it is, or the kind of value', () => {
    expect(verifyCodeProblems({})).toEqual([
      { path: 'form', message: 'expected a form number (a UUID), got nothing' },
      { path: 'seal', message: 'expected a seal (64 lower-case hexadecimal digits), got nothing' },
    ]);
    expect(verifyCodeProblems({ form: 'x'.repeat(80), seal: null })).toEqual([
      { path: 'form', message: `expected a form number (a UUID), got "${'x'.repeat(80)}"` },
      { path: 'seal', message: 'expected a seal (64 lower-case hexadecimal digits), got object' },
    ]);
    expect(verifyCodeProblems({ form: ` ${formId}`, seal: `${seal}0` }).map((p) => p.path)).toEqual(['form', 'seal']);
    expect(verifyCodeProblems({ form: formId, seal })).toEqual([]);
  });
});

describe('verify answer, field by field', () => {
  const held = {
    result: 'held', formId, seal: 'failed', visitDate: '2026-03-10', sealedAt: '2026-03-10T10:00:00.000+08:00',
    equipment: { type: '洗扫车', model: 'XS-5000' }, technicianName: '张师傅', deviceSignature: 'verified',
  };

  it('takes a failed seal and every device signature state', () => {
    expect(parseVerifyAnswer(held)).toEqual(held);
    for (const deviceSignature of ['not-recorded', 'recorded-not-checked', 'verified', 'failed']) {
      expect(parseVerifyAnswer({ ...held, deviceSignature })).toEqual({ ...held, deviceSignature });
    }
  });

  it.each([
    ['(root)', 'held'],
    ['(root)', undefined],
    ['formId', { result: 'unknown' }],
    ['formId', { ...held, formId: 7 }],
    ['visitDate', { ...held, visitDate: null }],
    ['sealedAt', { ...held, sealedAt: undefined }],
    ['equipment', { ...held, equipment: null }],
    ['equipment', { ...held, equipment: '洗扫车' }],
    ['equipment.type', { ...held, equipment: { model: 'XS-5000' } }],
    ['deviceSignature', { ...held, deviceSignature: 'unknown' }],
    ['seal', { ...held, seal: undefined }],
  ])('refuses at %s: %j', (path, answer) => {
    expect(() => parseVerifyAnswer(answer)).toThrow(`the verify answer is not valid at ${path}`);
  });
});

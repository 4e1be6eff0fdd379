// Why a form was refused, as the phone reads it.
import { describe, expect, it } from 'vitest';
import { isRejectionCode, REJECTION_CODES, RejectionReasonSchema } from '../../src/domain/rejection';

describe('rejection reasons', () => {
  it('the codes the engine and the server give are known codes; anything else is not', () => {
    for (const code of ['invalid-field', 'technician-mismatch', 'unknown-checklist', 'event-refused', 'form-mismatch', 'seal-mismatch', 'more-errors']) {
      expect(isRejectionCode(code), code).toBe(true);
    }
    for (const code of ['', 'Form-mismatch', 'form mismatch', 'new-code-of-a-newer-server']) expect(isRejectionCode(code), code).toBe(false);
    expect(new Set(REJECTION_CODES).size).toBe(REJECTION_CODES.length);
    for (const code of REJECTION_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('the phone reads any code of up to 64 characters, with text or number parameters', () => {
    expect(RejectionReasonSchema.safeParse({ code: 'new-code-of-a-newer-server', params: { seq: 3, rule: 'must-form' } }).success).toBe(true);
    expect(RejectionReasonSchema.safeParse({ code: 'x'.repeat(64), params: {} }).success).toBe(true);
    expect(RejectionReasonSchema.safeParse({ code: 'x'.repeat(65), params: {} }).success).toBe(false);
    expect(RejectionReasonSchema.safeParse({ code: 'form-mismatch', params: { field: true } }).success).toBe(false);
    expect(RejectionReasonSchema.safeParse({ code: 'form-mismatch' }).success).toBe(false);
    expect(RejectionReasonSchema.safeParse({ code: 'form-mismatch', params: {}, extra: 1 }).success).toBe(false);
  });
});

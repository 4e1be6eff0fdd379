// What the clerk reads when something fails, in both languages.
import { describe, expect, it } from 'vitest';
import { ApiClientError } from '../../src/backoffice/api-client';
import { errorText, fieldErrorMap } from '../../src/backoffice/error-text';
import { translator } from '../../src/backoffice/i18n';

const en = translator('en');
const zh = translator('zh-CN');

describe('errorText', () => {
  it("shows the server's sentence with its status and field errors", () => {
    const error = new ApiClientError(400, 'invalid', 'the visit is not valid', [{ path: 'customer.name', message: 'required' }]);
    expect(errorText(error, en)).toEqual({ message: 'That did not work (400): the visit is not valid', fieldErrors: [{ path: 'customer.name', message: 'required' }] });
    expect(errorText(error, zh).message).toBe('操作未成功（400）：the visit is not valid');
  });

  it('says an ended session is an ended session, and a refused action a refused action', () => {
    expect(errorText(new ApiClientError(401, 'session-expired', 'your session has expired'), en).message).toBe('Your session was refused (401): your session has expired');
    expect(errorText(new ApiClientError(403, 'forbidden-role', 'your role (viewer) may not do this'), zh).message).toBe('您的角色不能执行此操作（403）：your role (viewer) may not do this');
    expect(errorText(new ApiClientError(403, 'csrf-invalid', 'reload'), en).message).toBe('This was refused (403): reload');
  });

  it('explains a network failure, an unreadable answer and a bare HTTP failure in the clerk\'s language', () => {
    expect(errorText(new ApiClientError(0, 'network', 'Failed to fetch'), zh).message).toBe('无法连接服务器，请检查网络后重试。（Failed to fetch）');
    expect(errorText(new ApiClientError(200, 'bad-response', '/x answered without a valid "forms"'), en).message).toContain('without a valid "forms"');
    expect(errorText(new ApiClientError(502, 'http', 'HTTP 502 Bad Gateway'), en).message).toBe('The server failed (HTTP 502). Please try again later.');
  });

  it('describes any other thrown value', () => {
    expect(errorText(new Error('boom'), en)).toEqual({ message: 'Something unexpected went wrong: boom', fieldErrors: [] });
    expect(errorText('plain text', en).message).toBe('Something unexpected went wrong: plain text');
  });
});

describe('fieldErrorMap', () => {
  it('keys errors by path and joins two on the same field', () => {
    expect(fieldErrorMap([{ path: 'a', message: 'x' }, { path: 'b', message: 'y' }, { path: 'a', message: 'z' }])).toEqual({ a: 'x; z', b: 'y' });
  });
});

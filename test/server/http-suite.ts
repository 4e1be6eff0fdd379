// The API through a real socket on one adapter: what the phone and the back office actually see,
// including the 413 for a body the server will not read, and a clean stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, API_LIMITS } from '../../src/domain/api';
import { SECURITY_HEADERS } from '../../src/server/http/security';
import { createServer, type RunningServer } from '../../src/server/server';
import type { Storage } from '../../src/server/storage/storage';
import { ensureUser, makeForm, makeRival, registry, signInWith, type StorageFactory, type TestSession } from './helpers';

export function describeRealHttp(name: string, factory: StorageFactory): void {
  describe(`real HTTP: ${name}`, () => {
    let storage: Storage;
    let server: RunningServer;
    let admin: TestSession;
    const logs: string[] = [];

    beforeEach(async () => {
      storage = await factory();
      server = await createServer({ storage, checklists: registry, distDir: null, port: 0, log: (line) => logs.push(line) });
      admin = await signInWith((path, init) => fetch(`${server.url}${path}`, init), (await ensureUser(storage, 'admin')).name);
    });
    afterEach(async () => {
      await server.close();
      await storage.close();
    });

    const send = (path: string, init: RequestInit & { token?: string; session?: TestSession } = {}) => {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      for (const [name, value] of Object.entries(init.session?.headers(init.method) ?? {})) headers.set(name, value);
      return fetch(`${server.url}${path}`, { ...init, headers });
    };
    const json = (value: unknown) => ({ method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

    async function enroll(): Promise<string> {
      await send(API.admin.technicians, { ...json({ id: 'tech-1', name: '张师傅' }), session: admin });
      const { code } = await (await send(`${API.admin.technicians}/tech-1/code`, { method: 'POST', session: admin })).json() as { code: string };
      const res = await send(API.enroll, json({ code }));
      return ((await res.json()) as { token: string }).token;
    }

    it('enrolls a phone and takes its forms: accepted, duplicate, conflict, rejected', async () => {
      const token = await enroll();
      const form = await makeForm();
      const rival = await makeRival(form);
      const res = await send(API.forms, { ...json({ forms: [form, form, rival, { form: 1 }] }), token });
      expect(res.status).toBe(200);
      for (const [header, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(header)).toBe(value);
      const { results } = (await res.json()) as { results: Array<{ status: string }> };
      expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'conflict', 'rejected']);
      const again = await send(API.forms, { ...json({ forms: [form] }), token });
      expect(((await again.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('duplicate');
    });

    it('lands a form once when ten phones-worth of retries arrive at the same moment', async () => {
      const token = await enroll();
      const form = await makeForm();
      const replies = await Promise.all(Array.from({ length: 10 }, () => send(API.forms, { ...json({ forms: [form] }), token })));
      const statuses = await Promise.all(replies.map(async (r) => ((await r.json()) as { results: Array<{ status: string }> }).results[0]!.status));
      expect(statuses.sort()).toEqual(['accepted', ...Array(9).fill('duplicate')]);
      const list = await (await send(API.admin.forms, { session: admin })).json() as { forms: unknown[] };
      expect(list.forms).toHaveLength(1);
    });

    it('answers an oversize body with a 413 the phone can read, and keeps serving', async () => {
      const token = await enroll();
      const big = new Uint8Array(API_LIMITS.maxBodyBytes + 1024).fill(0x20);
      const res = await send(API.forms, { method: 'POST', body: big, token, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload-too-large');
      const malformed = await send(API.forms, { method: 'POST', body: '{"forms": [', token });
      expect(malformed.status).toBe(400);
      expect((await send(API.me, { token })).status).toBe(200);
    });

    it('streams an export through the socket', async () => {
      const token = await enroll();
      const forms = [await makeForm(), await makeForm({ seed: 2 })];
      await send(API.forms, { ...json({ forms }), token });
      const res = await send(API.admin.exportNdjson, { session: admin });
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="onsite-forms-\d{4}-\d{2}-\d{2}\.ndjson"/);
      const lines = (await res.text()).trimEnd().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { form: { id: string } }).form.id).sort()).toEqual(forms.map((f) => f.form.id).sort());
    });

    it('stops cleanly: close() resolves, and nothing answers afterwards', async () => {
      expect((await send(API.me)).status).toBe(401);
      await server.close();
      await expect(send(API.me)).rejects.toThrow();
      expect(logs.some((line) => /^GET \/api\/v1\/me 401 \d+ms$/.test(line))).toBe(true);
    });
  });
}

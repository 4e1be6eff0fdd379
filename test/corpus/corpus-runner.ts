// Sends corpus entries where they go: the API through app.request() (the phone's token, the admin's,
// none or a revoked one), and the import through importFiles(), the function behind `npm run import`.
// Every answer becomes one Outcome, and the database is photographed before and after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { API } from '../../src/domain/api';
import type { FieldError } from '../../src/domain/validation-issues';
import { ENROLLMENT_CODE_TTL_MS, MAX_CODE_FAILURES } from '../../src/server/auth/enrollment';
import { CODE_ALPHABET } from '../../src/server/auth/secrets';
import { importFiles } from '../../src/server/import/import-files';
import type { Storage } from '../../src/server/storage/storage';
import { openHarness, type Harness } from '../server/api-harness';
import { registry, type StorageFactory } from '../server/helpers';
import { entryBytes, streamedBody, type CodeSetup, type CorpusEntry, type Target, type TokenKind } from './corpus';

interface ResultOutcome {
  status: string;
  id: string | null;
  errors: FieldError[];
}

/** What the server (or the import) answered, in one shape for every target. */
export interface Outcome {
  /** the HTTP status; for the import function: 400 when the file was not imported, else 200 */
  status: number;
  code: string | null;
  message: string | null;
  /** the refusal's field errors */
  errors: FieldError[];
  /** each form's answer (forms API and imports) */
  results: ResultOutcome[] | null;
  rows: Array<{ row: number; column: string; message: string }> | null;
  created: number | null;
  /** what a 201 made */
  madeTechnician: string | null;
  madeVisit: string | null;
  contentType: string | null;
  /** the import function's exit code; null for HTTP */
  exitCode: number | null;
  text: string;
}

export interface DbSnapshot {
  forms: string[];
  conflicts: string[];
  visits: string[];
  technicians: Map<string, string>;
  disputes: string[];
}

export async function snapshot(storage: Storage): Promise<DbSnapshot> {
  const forms = (await storage.listForms({}, { after: null, limit: 1000 })).forms.map((f) => f.id).sort();
  const conflicts = (await storage.listConflicts({ limit: 1000 })).map((c) => `${c.formId}/${c.hash}`).sort();
  const visits = (await storage.listVisits({})).map((v) => v.id).sort();
  const technicians = new Map((await storage.listTechnicians()).map((t) => [t.id, JSON.stringify(t)]));
  const disputes = [
    ...(await storage.listDisputes({ status: 'open', limit: 1000 })),
    ...(await storage.listDisputes({ status: 'resolved', limit: 1000 })),
  ].map((d) => `${d.formId}:${d.resolvedAt ?? 'open'}`).sort();
  return { forms, conflicts, visits, technicians, disputes };
}

const ROUTES: Record<Exclude<Target, 'import-cli' | 'admin-get'>, { method: string; path: string; contentType: string }> = {
  'forms-api': { method: 'POST', path: API.forms, contentType: 'application/json' },
  'import-api': { method: 'POST', path: API.admin.import, contentType: 'application/json' },
  enroll: { method: 'POST', path: API.enroll, contentType: 'application/json' },
  'visits-csv': { method: 'POST', path: API.admin.visitsImport, contentType: 'text/csv; charset=utf-8' },
  'admin-technicians': { method: 'POST', path: API.admin.technicians, contentType: 'application/json' },
  'admin-visits': { method: 'POST', path: API.admin.visits, contentType: 'application/json' },
  'admin-resolve': { method: 'POST', path: `${API.admin.disputes}/00000000-0000-4000-8000-000000000000/resolve`, contentType: 'application/json' },
};

export interface CorpusServer {
  h: Harness;
  /** a storage of its own for the import function, so the same bundle lands fresh there too */
  cliStorage: Storage;
  tokens: Record<TokenKind, string | null>;
  /** prepares the code an enrollment entry uses; answers it */
  prepareCode(setup: CodeSetup): Promise<string>;
  send(entry: CorpusEntry, target: Target, code?: string): Promise<Outcome>;
  /** the phone's and the back office's everyday requests still answer 200 */
  health(): Promise<number[]>;
  close(): Promise<void>;
}

async function outcomeOf(res: Response): Promise<Outcome> {
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const results = Array.isArray(body?.results)
    ? (body.results as Array<{ status: string; id: string | null; errors?: FieldError[] }>).map((r) => ({ status: r.status, id: r.id, errors: r.errors ?? [] }))
    : null;
  return {
    status: res.status,
    code: body?.error?.code ?? null,
    message: body?.error?.message ?? null,
    errors: body?.error?.errors ?? [],
    results,
    rows: Array.isArray(body?.errors) ? body.errors : null,
    created: typeof body?.created === 'number' ? body.created : null,
    madeTechnician: res.status === 201 ? body?.technician?.id ?? null : null,
    madeVisit: res.status === 201 ? body?.visit?.id ?? null : null,
    contentType: res.headers.get('content-type'),
    exitCode: null,
    text,
  };
}

/** Runs the import function on the bytes (written to a file named like the corpus file) and reads its report. */
async function importWithCli(storage: Storage, bytes: Buffer, file: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'onsite-corpus-'));
  const path = join(dir, `input${extname(file)}`);
  writeFileSync(path, bytes);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const exitCode = await importFiles([path], { storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') }, {
      out: (line) => out.push(line), err: (line) => err.push(line),
    });
    return readImportReport(out, err, exitCode);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The import's printed report as an Outcome: "not imported: …" is a refusal, otherwise one answer per form. */
export function readImportReport(out: readonly string[], err: readonly string[], exitCode: number | null = null): Outcome {
  const base: Outcome = {
    status: 200, code: null, message: null, errors: [], results: null, rows: null, created: null, madeTechnician: null, madeVisit: null, contentType: null, exitCode,
    text: [...out, ...err].join('\n'),
  };
  const refusal = err.findIndex((line) => line.startsWith('  not imported: '));
  const fieldError = (line: string): FieldError => {
    const [path, ...message] = line.trim().split(': ');
    return { path: path!, message: message.join(': ') };
  };
  if (refusal !== -1) {
    const errors = err.slice(refusal + 1).filter((line) => line.startsWith('    ')).map(fieldError);
    return { ...base, status: 400, message: err[refusal]!.slice('  not imported: '.length), errors };
  }
  const summary = /accepted (\d+), duplicate (\d+), conflict (\d+), rejected (\d+)/.exec(out.join('\n'));
  if (!summary) throw new Error(`the import printed no summary:\n${base.text}`);
  const total = summary.slice(1).reduce((n, count) => n + Number(count), 0);
  const results: ResultOutcome[] = Array.from({ length: total }, () => ({ status: 'accepted', id: null, errors: [] }));
  for (const line of out) {
    const conflict = /^ {2}conflict form #(\d+)(?: \((.*?)\))?:/.exec(line);
    if (conflict) results[Number(conflict[1]) - 1] = { status: 'conflict', id: conflict[2] ?? null, errors: [] };
  }
  let current: ResultOutcome | null = null;
  for (const line of err) {
    const rejected = /^ {2}rejected form #(\d+)(?: \((.*)\))?:$/.exec(line);
    if (rejected) {
      current = results[Number(rejected[1]) - 1]!;
      current.status = 'rejected';
      current.id = rejected[2] ?? null;
    } else if (current && line.startsWith('    ')) {
      current.errors.push(fieldError(line));
    }
  }
  return { ...base, results };
}

export async function openCorpusServer(factory: StorageFactory): Promise<CorpusServer> {
  const h = await openHarness(factory, { enrollRateLimit: { max: 100_000, windowMs: 60_000 } });
  const technician = await h.enroll('tech-1', '张师傅');
  const other = await h.enroll('tech-2', '李师傅');
  const revoked = await h.enroll('tech-3', '王师傅');
  await h.call('POST', `${API.admin.technicians}/tech-3/revoke`);
  await h.call('POST', API.admin.technicians, { json: { id: 'tech-enroll', name: '赵师傅' } });
  const cliStorage = await factory({ isolated: true });
  await cliStorage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
  const tokens: Record<TokenKind, string | null> = { technician, 'other-technician': other, admin: h.adminToken, none: null, revoked };
  let revokedTechnicians = 0;

  const issue = async (id: string) => (await h.call('POST', `${API.admin.technicians}/${id}/code`)).body.code as string;
  const enrollWith = (code: string) => h.call('POST', API.enroll, { token: null, json: { code } });

  return {
    h, cliStorage, tokens,
    async prepareCode(setup) {
      if (setup === 'revoked-technician-code') {
        const id = `tech-revoked-${++revokedTechnicians}`;
        await h.call('POST', API.admin.technicians, { json: { id, name: '离职师傅' } });
        const code = await issue(id);
        await h.call('POST', `${API.admin.technicians}/${id}/revoke`);
        return code;
      }
      const code = await issue('tech-enroll');
      if (setup === 'used-code') await enrollWith(code);
      if (setup === 'locked-code') {
        const wrongTail = [...code.slice(4)].map((ch) => CODE_ALPHABET[(CODE_ALPHABET.indexOf(ch) + 1) % CODE_ALPHABET.length]).join('');
        for (let i = 0; i < MAX_CODE_FAILURES; i++) await enrollWith(code.slice(0, 4) + wrongTail);
      }
      return code;
    },
    async send(entry, target, code) {
      const bytes = entryBytes(entry, code);
      if (target === 'import-cli') return importWithCli(cliStorage, bytes, entry.file ?? 'generated.json');
      const token = tokens[entry.token];
      const method = target === 'admin-get' ? 'GET' : ROUTES[target].method;
      // "admin" is the back office's credentials: the admin user's session (and the admin token, which the phone's routes must refuse too)
      const headers: Record<string, string> = entry.token === 'admin' ? h.admin.headers(method) : {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (target === 'admin-get') return outcomeOf(await h.app.request(bytes.toString('utf8').trim(), { headers }));
      const route = ROUTES[target];
      headers['content-type'] = entry.contentType ?? (target === 'import-api' && entry.file?.endsWith('.ndjson') ? 'application/x-ndjson' : route.contentType);
      const g = entry.generate;
      if (g?.kind === 'declared-length') headers['content-length'] = g.contentLength;
      const init: RequestInit & { duplex?: 'half' } = g?.kind === 'stream'
        ? { method: route.method, headers, body: streamedBody(g.bytes), duplex: 'half' }
        : { method: route.method, headers, body: new Uint8Array(bytes) };
      // an expired code is sent a minute after its 24 hours; the clock goes back afterwards, so later codes are fresh
      const late = entry.setup === 'expired-code' ? ENROLLMENT_CODE_TTL_MS + 60_000 : 0;
      h.clock.advance(late);
      try {
        return await outcomeOf(await h.app.request(new Request(`http://corpus.test${route.path}`, init)));
      } finally {
        h.clock.advance(-late);
      }
    },
    async health() {
      return [(await h.call('GET', API.me, { token: technician })).status, (await h.call('GET', API.admin.technicians)).status];
    },
    async close() {
      await cliStorage.close();
      await h.close();
    },
  };
}

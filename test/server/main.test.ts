import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/server/config';
import { PROCESS_TIMEOUT_MS, signInWith } from './helpers';

/** Starts `tsx src/server/main.ts`, waits for its banner, and hands back a way to stop it with a signal. */
async function start(sqlitePath: string, args: string[] = []) {
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'src', 'server', 'main.ts'), ...args], {
    env: { ...process.env, SQLITE_PATH: sqlitePath, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match && output.includes('\n\n')) {
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`the server exited early:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async (signal: NodeJS.Signals) => {
      child.kill(signal);
      return exited;
    },
  };
}

describe('npm start (src/server/main.ts)', { timeout: PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-main-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the URL, the admin token once with how to make the first admin; stops cleanly on SIGTERM and SIGINT', async () => {
    const path = join(dir, 'onsite.sqlite');
    const first = await start(path);
    const token = /Admin token \(shown once[^\n]*\n\n {2}(\S+)/.exec(first.output())?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.output()).toContain('npm run user:create -- --name NAME --role admin');
    const makeAdmin = (url: string) => fetch(`${url}/api/v1/admin/users`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'boss', displayName: '主管', role: 'admin', password: 'the first password' }),
    });
    expect((await makeAdmin(first.url)).status).toBe(201);
    const boss = await signInWith((p, init) => fetch(`${first.url}${p}`, init), 'boss', 'the first password');
    expect((await fetch(`${first.url}/api/v1/admin/technicians`, { headers: boss.headers() })).status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('SIGTERM: finishing the requests in flight, then stopping');

    const second = await start(path);
    expect(second.output()).not.toContain('Admin token (shown once');
    expect(second.output()).toContain('admin token: set on an earlier start');
    expect(second.output()).not.toContain('No back-office admin yet');
    expect((await makeAdmin(second.url)).status).toBe(403);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('--demo: an enrollment code for the demo technician with today\'s visits, and a demo admin to sign in with, shown once', async () => {
    const path = join(dir, 'onsite-demo.sqlite');
    const first = await start(path, ['--demo']);
    const code = /enrollment code: ([A-Z0-9]{10})/.exec(first.output())?.[1];
    const enrolled = await fetch(`${first.url}/api/v1/enroll`, { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } });
    const { token: phone } = (await enrolled.json()) as { token: string };
    const visits = (await (await fetch(`${first.url}/api/v1/visits`, { headers: { authorization: `Bearer ${phone}` } })).json()) as { visits: unknown[] };
    expect(visits.visits).toHaveLength(3);
    const admin = /sign in at \S+ as "([^"]+)" with the password (\S+)/.exec(first.output());
    expect(admin?.[1]).toBe('demo-admin');
    const session = await signInWith((p, init) => fetch(`${first.url}${p}`, init), admin![1]!, admin![2]!);
    expect((await fetch(`${first.url}/api/v1/admin/technicians`, { headers: session.headers() })).status).toBe(200);
    expect(first.output()).not.toContain('No back-office admin yet');
    expect(await first.stop('SIGTERM')).toBe(0);

    // again: a new code and no new admin (the first one's password is not shown again)
    const second = await start(path, ['--demo']);
    expect(second.output()).toMatch(/enrollment code: [A-Z0-9]{10}/);
    expect(second.output()).not.toContain('with the password');
    expect(await second.stop('SIGINT')).toBe(0);
  });
});

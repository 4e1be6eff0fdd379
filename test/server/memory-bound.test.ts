// A real server in a child process, measured from outside through /proc/<pid>/status: oversize bodies
// (200 MB without a Content-Length, a Content-Length that lies either way, 20 × 20 MB) and the whole
// corpus over a real socket never raise its peak memory far above where each request found it, never get a
// 5xx, and it keeps answering. When garbage is collected is up to V8 and how busy the machine is, so the
// test does not leave it to chance: before each measured step the child collects all its garbage on
// request and the kernel's peak (VmHWM) is reset, so each peak is what that step alone held at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, API_LIMITS } from '../../src/domain/api';
import { REPO_ROOT } from '../../src/server/config';
import { entryBytes, loadManifest, targetsOf, type TokenKind } from '../corpus/corpus';

const MB = 1024 * 1024;
/**
 * How far the server's peak may rise during one step above what it held, settled, when the step began.
 * A step may hold at once a body up to the import limit (64 MiB), or four up to the forms limit
 * (4 × 8 MiB), and the buffers around them; a 200 MB body held whole needs more than this by itself.
 */
const STEP_PEAK = 160 * MB;

interface Child {
  process: ChildProcess;
  url: URL;
  tokens: Record<TokenKind, string | null>;
  /** the admin user's session cookie and CSRF token */
  adminHeaders: Record<string, string>;
}

async function startChild(): Promise<Child> {
  // node itself (not the tsx wrapper), so the pid measured is the server's
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO_ROOT, 'test', 'server', 'memory-bound-server.ts')], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^READY (.*)$/m.exec(output);
      if (ready) {
        const { url, tokens, adminHeaders } = JSON.parse(ready[1]!) as { url: string; tokens: Child['tokens']; adminHeaders: Child['adminHeaders'] };
        resolve({ process: child, url: new URL(url), tokens, adminHeaders });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Has the child collect all its garbage (memory-bound-server.ts); resolves once it has. */
async function collectGarbage(child: Child): Promise<void> {
  const done = once(child.process, 'message');
  child.process.send('gc');
  await done;
}

/** Resets the kernel's peak resident memory of the process (VmHWM) to what it holds now. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Resident memory now and at its peak (VmHWM), in bytes, as the kernel counts it. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface Sent {
  /** the answer's status, or 'reset' when the connection was cut before an answer could be read */
  status: number | 'reset';
  /** bytes of the body the server let the client write before it answered */
  sent: number;
}

/** POSTs `total` bytes in 1 MiB chunks with no Content-Length (chunked), stopping as soon as the server answers. */
function streamPost(child: Child, path: string, token: string, total: number, extraHeaders: Record<string, string> = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    let answered = false;
    const req = http.request(new URL(path, child.url), {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extraHeaders }, timeout: 60_000,
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, sent }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer after ${sent} bytes`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve({ status: 'reset', sent });
      else reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Raw HTTP over a socket: a Content-Length of `declared`, then `total` bytes (or until the server hangs up). */
function rawPost(child: Child, path: string, token: string, declared: number, total: number): Promise<Sent & { reset: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(child.url.port), child.url.hostname);
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    let closed = false;
    let reset = false;
    let answer = '';
    socket.setTimeout(60_000, () => socket.destroy(new Error(`no answer after ${sent} bytes`)));
    socket.on('data', (data: Buffer) => void (answer += data.toString('latin1')));
    socket.on('error', () => {
      reset = true;
      closed = true;
    });
    socket.on('close', () => {
      closed = true;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: status ? Number(status[1]) : 'reset', sent, reset });
    });
    const pump = () => {
      while (!closed && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
      // everything sent: let the server answer, then hang up
      if (!closed) socket.end();
    };
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${child.url.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`, pump);
  });
}

/** Each test streams hundreds of MB through a real socket, which a busy machine does many times slower than a free one: a bound for a hang only. */
const TEST_TIMEOUT_MS = 300_000;

describe('memory stays bounded under oversize bodies (real server in a child process)', { timeout: TEST_TIMEOUT_MS }, () => {
  let child: Child;
  /** resident memory at the start of the current step, garbage collected */
  let base: number;
  const health = async () => (await fetch(new URL(API.me, child.url), { headers: { authorization: `Bearer ${child.tokens.technician}` } })).status;
  /** how far the peak rose during the current step */
  const stepPeak = () => memoryOf(child.process.pid!).peak - base;
  /** Between two measured steps: no garbage from the last one left, and the peak from here on is the next one's. */
  const settle = async () => {
    await collectGarbage(child);
    resetPeak(child.process.pid!);
    base = memoryOf(child.process.pid!).rss;
  };

  beforeAll(async () => {
    child = await startChild();
    // warm up the code paths the oversize bodies take, so that no step pays for loading them
    for (let i = 0; i < 3; i++) {
      await health();
      await streamPost(child, API.forms, child.tokens.technician!, 10 * MB);
    }
  });
  beforeEach(settle);
  afterAll(async () => {
    if (!child || child.process.exitCode !== null) return;
    const exited = new Promise((resolve) => child.process.once('exit', resolve));
    child.process.kill('SIGTERM');
    await exited;
  });

  // the memory tests take a cut connection as a refusal too (see the last test for why it happens)
  const REFUSED = [413, 'reset'];

  it('refuses 200 MB streamed without a Content-Length after reading at most its limit', async () => {
    const forms = await streamPost(child, API.forms, child.tokens.technician!, 200 * MB);
    expect(REFUSED).toContain(forms.status);
    expect(forms.sent).toBeLessThan(200 * MB);
    expect(stepPeak()).toBeLessThan(STEP_PEAK);
    await settle();
    const bundle = await streamPost(child, API.admin.import, child.tokens.admin!, 200 * MB, child.adminHeaders);
    expect(REFUSED).toContain(bundle.status);
    expect(bundle.sent).toBeLessThan(200 * MB);
    expect(await health()).toBe(200);
    expect(stepPeak()).toBeLessThan(STEP_PEAK);
  });

  it('refuses a Content-Length that lies, small or large, without reading the rest', async () => {
    const small = await rawPost(child, API.forms, child.tokens.technician!, 1000, 200 * MB);
    expect([400, 'reset']).toContain(small.status);
    expect(small.sent).toBeLessThan(200 * MB);
    expect(stepPeak()).toBeLessThan(STEP_PEAK);
    await settle();
    const large = await rawPost(child, API.forms, child.tokens.technician!, 200 * MB, 1024);
    expect(large.status).toBe(413);
    expect(await health()).toBe(200);
    expect(stepPeak()).toBeLessThan(STEP_PEAK);
  });

  it('takes 20 requests of 20 MB, four at a time, and stays bounded', async () => {
    for (let round = 0; round < 5; round++) {
      const replies = await Promise.all(Array.from({ length: 4 }, () => streamPost(child, API.forms, child.tokens.technician!, 20 * MB)));
      for (const reply of replies) expect(REFUSED).toContain(reply.status);
      expect(await health()).toBe(200);
      expect(stepPeak(), `round ${round + 1}`).toBeLessThan(STEP_PEAK);
      await settle();
    }
  });

  it('lets a phone that sends a little too much read its 413, the connection closed cleanly rather than reset', async () => {
    // A phone told "413: send fewer forms at a time" splits its batch; a phone whose connection is reset
    // retries the same batch. Closing the socket while the body is still arriving makes the kernel reset
    // the connection, and the 413 already written is often lost with it.
    const MAX_BODY = API_LIMITS.maxBodyBytes;
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await rawPost(child, API.forms, child.tokens.technician!, MAX_BODY + 4 * MB, MAX_BODY + 4 * MB));
    expect(replies.map((r) => ({ status: r.status, reset: r.reset }))).toEqual(Array(5).fill({ status: 413, reset: false }));
  });

  it('answers every corpus request over the socket without a 5xx, and keeps answering', async () => {
    const paths: Record<string, string> = {
      'forms-api': API.forms, 'import-api': API.admin.import, enroll: API.enroll, 'visits-csv': API.admin.visitsImport,
      'admin-technicians': API.admin.technicians, 'admin-visits': API.admin.visits,
      'admin-resolve': `${API.admin.disputes}/00000000-0000-4000-8000-000000000000/resolve`,
    };
    const entries = loadManifest().filter((e) => e.file !== null && !e.setup && e.generate?.kind !== 'declared-length');
    let sent = 0;
    let sinceSettled = 0;
    for (const entry of entries) {
      for (const target of targetsOf(entry).filter((t) => t !== 'import-cli')) {
        const token = child.tokens[entry.token];
        // "admin": the admin user's session (and the admin token, which the phone's routes must refuse too)
        const headers: Record<string, string> = { ...(entry.token === 'admin' ? child.adminHeaders : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
        const bytes = entryBytes(entry);
        // a large body is measured from a settled heap; small ones are measured together (a full collection each would take longer than they do)
        if (bytes.length >= MB || ++sinceSettled === 10) {
          await settle();
          sinceSettled = 0;
        }
        const context = `${entry.file} → ${target}`;
        const request = target === 'admin-get'
          ? fetch(new URL(bytes.toString('utf8').trim(), child.url), { headers })
          : fetch(new URL(paths[target]!, child.url), {
            method: 'POST', body: new Uint8Array(bytes),
            headers: {
              ...headers,
              'content-type': entry.contentType ?? (target === 'visits-csv' ? 'text/csv' : entry.file!.endsWith('.ndjson') ? 'application/x-ndjson' : 'application/json'),
            },
          });
        const status = await request.then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }, (error: Error) => {
          // only a body past the limit may be cut off (the test above says why); anything else is a failure
          if (bytes.length > API_LIMITS.maxBodyBytes) return 'reset';
          throw new Error(`${context}: ${error.message}`, { cause: error });
        });
        if (status !== 'reset') expect(status, context).toBeLessThan(500);
        expect(await health(), context).toBe(200);
        expect(stepPeak(), context).toBeLessThan(STEP_PEAK);
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(100);
  });
});

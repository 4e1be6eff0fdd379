// What the fault run needs of a server it crashes: kill it in the middle of a batch, bring it back on
// the same port, and tell what it answered. Two kinds: a child process killed with SIGKILL
// (server-process.ts, the long run) and this in-process one for the quick run in `npm test`, whose
// "kill" cuts every connection right after a batch has committed, so the phones lose the answer to a
// batch that did land (the case that must come back as duplicates, never as a second copy).
import { join } from 'node:path';
import { loadChecklists } from '../../src/server/checklists';
import { REPO_ROOT } from '../../src/server/config';
import { createServer, type RunningServer } from '../../src/server/server';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';

/** What the server reported landing, every copy of every form counted (a duplicated request counts twice). */
export interface StoreTally {
  batches: number;
  accepted: number;
  duplicate: number;
  conflict: number;
}

/** 'mid-batch': killed while landing a batch; 'idle': no batch came in the time given, killed anyway. */
export type KillMoment = 'mid-batch' | 'idle';

export interface KillableServer {
  readonly port: number;
  readonly url: string;
  kills(): number;
  tally(): StoreTally;
  /**
   * Arms a kill before it returns: the server dies as it lands the next batch that reaches it from then on
   * (or, if none came within `waitMs`, a bound and not a moment, idle); resolves once it is down.
   */
  killDuringNextBatch(waitMs: number): Promise<KillMoment>;
  /** starts it again on the same port, over the same database */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The in-process server over SQLite at `sqlitePath`; each restart reopens the database. */
export async function startInProcessServer(options: { sqlitePath: string }): Promise<KillableServer> {
  const checklists = loadChecklists(join(REPO_ROOT, 'checklists'));
  const tally: StoreTally = { batches: 0, accepted: 0, duplicate: 0, conflict: 0 };
  let kills = 0;
  let armed: (() => Promise<void>) | null = null;
  let storage: Storage | null = null;
  let running: RunningServer | null = null;

  async function open(port: number): Promise<RunningServer> {
    const opened = openSqliteStorage({ path: options.sqlitePath });
    storage = opened;
    const reporting: Storage = {
      ...opened,
      async storeForms(forms) {
        tally.batches += 1;
        const outcomes = await opened.storeForms(forms);
        for (const outcome of outcomes) tally[outcome.status] += 1;
        const kill = armed;
        armed = null;
        // committed: cut the connections before this answer is written, so it never reaches the phone
        if (kill) await kill();
        return outcomes;
      },
    };
    return createServer({ storage: reporting, checklists, port, host: '127.0.0.1', distDir: null, log: () => undefined });
  }

  async function down(): Promise<void> {
    const server = running;
    const db = storage;
    running = null;
    storage = null;
    kills += 1;
    // no grace: every connection is cut at once, requests in flight included
    await server?.close(0);
    await db?.close();
  }

  running = await open(0);
  const { port, url } = running;
  return {
    port,
    url,
    kills: () => kills,
    tally: () => ({ ...tally }),
    killDuringNextBatch(waitMs) {
      return new Promise<KillMoment>((resolve, reject) => {
        if (!running) return reject(new Error('the server is not running'));
        const idle = setTimeout(() => {
          armed = null;
          down().then(() => resolve('idle'), reject);
        }, waitMs);
        armed = async () => {
          clearTimeout(idle);
          await down().then(() => resolve('mid-batch'), reject);
        };
      });
    },
    async restart() {
      if (running) throw new Error('the server is still running: kill it first');
      running = await open(port);
    },
    async close() {
      armed = null;
      await running?.close(0);
      await storage?.close();
      running = null;
      storage = null;
    },
  };
}

// The real server in a child process (server-entry.ts, run by Node with tsx's loader: one process, so
// SIGKILL kills the server itself, not a wrapper), killed with SIGKILL while it lands a batch and
// restarted on the same port, the way a crashed server comes back.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { KillableServer, KillMoment, StoreTally } from './killable-server';
import { randomInt, type Random } from './seeded-random';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./server-entry.ts', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const ADDRESS_RETRIES = 5;

export interface ServerProcessOptions {
  storage: { sqlitePath: string } | { databaseUrl: string };
  /** draws how long after a batch begins the kill comes */
  random: Random;
  /** the kill lands 0…this many ms after the server says a batch begins (before, during or after its commit) */
  maxKillDelayMs?: number;
}

export interface ServerProcess extends KillableServer {
  /** exits nobody asked for, with the end of their stderr; empty in a sound run */
  unexpectedExits(): string[];
  /**
   * Arms a kill with no bound of its own: the process dies as it lands the next batch that reaches it,
   * unless `disarm` comes first (for a pair of processes, where the other one's batch may come first).
   * `onBatch` is called the moment that batch begins, before the kill lands.
   */
  armKill(onBatch?: () => void): { killed: Promise<void>; disarm(): void };
  /** whether it is up (killed and not yet restarted: false) */
  running(): boolean;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<void>;
  /** set before a kill or a close, so the exit is not reported as unexpected */
  expected: boolean;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const storageEnv = 'databaseUrl' in options.storage ? { FAULT_DATABASE_URL: options.storage.databaseUrl } : { FAULT_SQLITE_PATH: options.storage.sqlitePath };
  const maxKillDelayMs = options.maxKillDelayMs ?? 20;
  const tally: StoreTally = { batches: 0, accepted: 0, duplicate: 0, conflict: 0 };
  const unexpected: string[] = [];
  let kills = 0;
  let running: Running | null = null;
  /** set while a kill waits for the next batch */
  let armed: (() => void) | null = null;
  let onArmedBatch: (() => void) | null = null;

  function onLine(line: string): void {
    const [word, ...numbers] = line.split(' ');
    if (word === 'store-begin') {
      tally.batches += 1;
      const fire = armed;
      const notify = onArmedBatch;
      armed = null;
      onArmedBatch = null;
      if (fire) {
        notify?.();
        const delay = randomInt(options.random, 0, maxKillDelayMs);
        if (delay === 0) fire();
        else setTimeout(fire, delay);
      }
    } else if (word === 'store-end') {
      const [accepted = 0, duplicate = 0, conflict = 0] = numbers.map(Number);
      tally.accepted += accepted;
      tally.duplicate += duplicate;
      tally.conflict += conflict;
    }
  }

  /** Starts the entry and resolves with it once it listens; rejects with its stderr if it exits first. */
  function spawnEntry(port: number): Promise<{ running: Running; port: number }> {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      cwd: REPO_ROOT, env: { ...process.env, ...storageEnv, FAULT_PORT: String(port) }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    const state: Running = { child, expected: false, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        state.expected = true;
        child.kill('SIGKILL');
        reject(new Error(`the fault-run server did not start within ${READY_TIMEOUT_MS / 1000} s:\n${stderr}`));
      }, READY_TIMEOUT_MS);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const listening = /^ready (\d+)$/.exec(line);
        if (!listening) return onLine(line);
        ready = true;
        clearTimeout(timer);
        resolve({ running: state, port: Number(listening[1]) });
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const why = `the fault-run server exited (code ${code}, signal ${signal})`;
        if (!ready) reject(Object.assign(new Error(`${why} before it listened:\n${stderr}`), { addressInUse: stderr.includes('EADDRINUSE') }));
        else if (!state.expected) unexpected.push(`${why}:\n${stderr}`);
      });
    });
  }

  async function start(port: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = await spawnEntry(port);
        running = started.running;
        return started.port;
      } catch (error) {
        // the port may be held for a moment by another socket after a kill: try again shortly
        if (!(error as { addressInUse?: boolean }).addressInUse || attempt >= ADDRESS_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async function kill(): Promise<void> {
    const current = running;
    if (!current) return;
    running = null;
    current.expected = true;
    current.child.kill('SIGKILL');
    kills += 1;
    await current.exited;
  }

  const port = await start(0);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    kills: () => kills,
    tally: () => ({ ...tally }),
    unexpectedExits: () => [...unexpected],
    killDuringNextBatch(waitMs) {
      return new Promise<KillMoment>((resolve, reject) => {
        if (!running) return reject(new Error('the server is not running'));
        const idle = setTimeout(() => {
          armed = null;
          kill().then(() => resolve('idle'), reject);
        }, waitMs);
        onArmedBatch = null;
        armed = () => {
          clearTimeout(idle);
          kill().then(() => resolve('mid-batch'), reject);
        };
      });
    },
    armKill(onBatch) {
      if (!running) throw new Error('the server is not running');
      let fire: () => void = () => undefined;
      const killed = new Promise<void>((resolve, reject) => {
        fire = () => void kill().then(resolve, reject);
      });
      armed = fire;
      onArmedBatch = onBatch ?? null;
      return {
        killed,
        disarm: () => {
          if (armed !== fire) return;
          armed = null;
          onArmedBatch = null;
        },
      };
    },
    running: () => running !== null,
    async restart() {
      if (running) throw new Error('the server is still running: kill it first');
      await start(port);
    },
    async close() {
      armed = null;
      const current = running;
      running = null;
      if (!current) return;
      current.expected = true;
      // our stdin closing is the entry's cue to exit
      current.child.stdin.end();
      const slow = setTimeout(() => current.child.kill('SIGKILL'), 5_000);
      await current.exited;
      clearTimeout(slow);
    },
  };
}

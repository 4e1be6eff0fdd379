// One fault run: simulated phones seal forms and sync them through the fault proxy while the server is
// killed in the middle of batches and restarted; then the database is audited against what the phones
// sealed, and the figures are returned for printing. Used by the long run (test:faults) and the quick
// one in `npm test`; what is asserted is up to them.
//
// What the run promises holds by construction, not by timing: each phone is owed every fault kind the
// rates name (the proxy applies each until it took effect, see fault-proxy.ts), and each kill is armed
// before the seal that passes its point may start, so at least that form's batch reaches the server
// after the arming and the kill lands in the middle of a batch.
import { issueEnrollmentCode } from '../../src/server/auth/enrollment';
import type { Storage } from '../../src/server/storage/storage';
import { API } from '../../src/domain/api';
import type { OutboxStatus } from '../../src/device/db';
import { FAULT_KINDS, startFaultProxy, type FaultKind, type FaultRates, type FaultStats } from './fault-proxy';
import type { KillableServer, KillMoment, StoreTally } from './killable-server';
import { auditLanded, readLandedForms, type DatabaseLocation, type LandedAudit } from './landed-forms';
import { startPhone, type SealedOnPhone, type SimulatedPhone } from './phones';
import { randomInt, seededRandom } from './seeded-random';

/** The rates of the long run: every fault kind often enough to matter. */
export const FAULT_RUN_RATES: Partial<FaultRates> = {
  drop: 0.05, resetBeforeForward: 0.05, resetAfterResponse: 0.08, status500: 0.03, status502: 0.03, status503: 0.03, duplicate: 0.08,
  delayRate: 0.2, delayMs: [0, 300],
};

export interface FaultRunOptions {
  /** names the run in the figures, e.g. "SQLite" */
  label: string;
  seed: number;
  phones: number;
  formsPerPhone: number;
  faults: Partial<FaultRates>;
  server: KillableServer;
  /** the server's database, opened in the test's process: technicians and their enrollment codes are made here */
  setupStorage: Storage;
  /** where the audit reads the forms from */
  database: DatabaseLocation;
  /** kill the server in the first batch it lands once this share of the forms has been sealed, e.g. [0.25, 0.5, 0.75]: rising, each below 1 */
  killAt: readonly number[];
  /** how long the server stays down after a kill, at most (drawn from the seed) */
  maxDowntimeMs: number;
  /** how long the phones get to empty their outboxes once the last form is sealed */
  drainTimeoutMs: number;
  /** progress lines; the figures are returned either way */
  log?: (line: string) => void;
}

export interface FaultRunFigures {
  label: string;
  seed: number;
  phones: number;
  formsSealed: number;
  proxy: FaultStats;
  /** the fault kinds still owed to each phone at the end; empty in a run that did what it says */
  owing: Record<string, FaultKind[]>;
  kills: { total: number; midBatch: number };
  /** copies of forms the server landed, by its answer (every copy of a duplicated or resent request counts) */
  server: StoreTally;
  /** the phones' final word for each form: what the server answered the time the phone heard it */
  phoneVerdicts: { accepted: number; duplicate: number; conflict: number };
  /** what the phones still hold that is not synced */
  unsent: Record<Exclude<OutboxStatus, 'synced'>, number>;
  audit: LandedAudit;
  seconds: number;
}

export async function runFaultRun(options: FaultRunOptions): Promise<FaultRunFigures> {
  const log = options.log ?? (() => undefined);
  const total = options.phones * options.formsPerPhone;
  const killPoints = formsBeforeKills(options.killAt, total);
  const started = performance.now();
  // the proxy draws from `seed` itself; the downtimes from their own stream
  const downtimes = seededRandom(options.seed + 1);
  const { server } = options;
  const proxy = await startFaultProxy({
    target: { host: '127.0.0.1', port: server.port },
    seed: options.seed,
    faults: options.faults,
    match: ({ path }) => path === API.forms,
    // every kind the rates name is applied to every phone, whatever its batch sizes and the server's downtime
    owed: FAULT_KINDS.filter((kind) => (options.faults[kind] ?? 0) > 0),
  });
  const phones: SimulatedPhone[] = [];
  try {
    for (let i = 0; i < options.phones; i++) {
      const technician = { id: `fault-tech-${i + 1}`, name: `技师${i + 1}号` };
      const created = await options.setupStorage.createTechnician({ ...technician, phone: '', createdAt: new Date().toISOString() });
      if (!created) throw new Error(`technician ${technician.id} already exists: the fault run needs an empty database`);
      const { code } = await issueEnrollmentCode(options.setupStorage, technician.id, new Date());
      phones.push(await startPhone({
        name: `fault-${options.label}-${options.seed}-phone-${i + 1}`, technician, enrollmentCode: code, serverUrl: server.url, syncUrl: proxy.url,
        faultClient: `phone-${i + 1}`, seed: options.seed * 100 + 2 * i,
      }));
    }
    const moments: KillMoment[] = [];
    // reached[i]: the seal after kill point i wants to start; armed[i]: kill i is armed, so it may
    const reached = killPoints.map(() => deferred());
    const armed = killPoints.map(() => deferred());
    let sealsStarted = 0;
    let sealedSoFar = 0;

    const sealing = Promise.all(phones.map(async (phone) => {
      for (let k = 0; k < options.formsPerPhone; k++) {
        const seal = ++sealsStarted;
        for (const [i, point] of killPoints.entries()) {
          if (seal <= point) break;
          reached[i]!.resolve();
          await armed[i]!.promise;
        }
        await phone.sealForm();
        sealedSoFar += 1;
      }
    }));
    const sealingSettled = sealing.then(() => undefined, () => undefined);
    const crashes = (async () => {
      try {
        for (const [i, point] of killPoints.entries()) {
          // a phone that failed to seal ends the run: no kill after that
          const go = await Promise.race([reached[i]!.promise.then(() => true), sealingSettled.then(() => false)]);
          if (!go) return;
          // armed before the seal past the point starts: that form's batch, at the latest, is one the kill meets;
          // the wait is a bound for a broken run, the kill is set off by the batch itself
          const kill = server.killDuringNextBatch(options.drainTimeoutMs);
          armed[i]!.resolve();
          moments.push(await kill);
          const downtime = randomInt(downtimes, 0, options.maxDowntimeMs);
          log(`${options.label}: server killed (${moments.at(-1)}) after seal ${point} (${sealedSoFar}/${total} sealed), down for ${downtime} ms`);
          await sleep(downtime);
          await server.restart();
        }
      } finally {
        // a crash loop that ended early lets no seal wait for it
        for (const gate of armed) gate.reject(new Error('the crash loop of the fault run ended early'));
      }
    })();
    // both settle before anything is closed, so no restart races the end of the run
    for (const outcome of await Promise.allSettled([sealing, crashes])) if (outcome.status === 'rejected') throw outcome.reason;
    log(`${options.label}: all ${total} forms sealed; waiting for the outboxes to empty`);
    await drained(phones, total, options.drainTimeoutMs);

    const sealed = new Map<string, SealedOnPhone>();
    for (const phone of phones) for (const [id, form] of phone.sealed) sealed.set(id, form);
    const phoneVerdicts = { accepted: 0, duplicate: 0, conflict: 0 };
    const unsent = { queued: 0, sending: 0, rejected: 0, held: 0 };
    for (const phone of phones) {
      for (const form of await phone.outboxForms()) {
        if (form.status === 'synced') phoneVerdicts[form.serverStatus ?? 'accepted'] += 1;
        else unsent[form.status] += 1;
      }
    }
    const audit = await auditLanded(sealed, await readLandedForms(options.database));
    return {
      label: options.label,
      seed: options.seed,
      phones: phones.length,
      formsSealed: sealed.size,
      proxy: proxy.stats(),
      owing: proxy.owing(),
      kills: { total: server.kills(), midBatch: moments.filter((m) => m === 'mid-batch').length },
      server: server.tally(),
      phoneVerdicts,
      unsent,
      audit,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await Promise.all(phones.map((phone) => phone.close()));
    await proxy.close();
  }
}

/** Waits until every phone has heard the server's answer for every form, or says what is left after `timeoutMs`. */
async function drained(phones: readonly SimulatedPhone[], total: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(phones.map((phone) => phone.outboxCounts()));
    const synced = counts.reduce((n, c) => n + c.synced, 0);
    const stuck = counts.reduce((n, c) => n + c.rejected + c.held, 0);
    if (synced === total || stuck > 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the phones did not empty their outboxes within ${timeoutMs / 1000} s: ${synced}/${total} synced; ${JSON.stringify(counts)}`);
    }
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** For each kill, how many seals start before it is armed; refuses shares that would leave a kill no batch to meet. */
export function formsBeforeKills(killAt: readonly number[], total: number): number[] {
  const points = killAt.map((share) => Math.floor(share * total));
  killAt.forEach((share, i) => {
    const point = points[i]!;
    if (!(share > 0 && share < 1) || point >= total) throw new Error(`fault run: killAt[${i}] must be a share above 0 and below 1 that leaves a form to seal after it, got ${share} of ${total} forms`);
    if (i > 0 && point <= points[i - 1]!) throw new Error(`fault run: killAt must rise by at least one form each time, got ${killAt[i - 1]} then ${share} of ${total} forms`);
  });
  return points;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** A promise settled from outside; the first settlement counts. Its rejection is never unhandled: only those who wait see it. */
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => { resolve = ok; reject = fail; });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The figures as the run prints them. */
export function formatFigures(f: FaultRunFigures): string {
  const faults = [...FAULT_KINDS, 'delay' as const].map((kind: FaultKind | 'delay') => `${kind} ${f.proxy.faults[kind]}`).join(', ');
  const injected = FAULT_KINDS.reduce((n, kind) => n + f.proxy.faults[kind], 0);
  return [
    `fault run on ${f.label} (seed ${f.seed}): ${f.formsSealed} forms sealed on ${f.phones} phones, ${f.seconds} s`,
    `  requests through the proxy: ${f.proxy.requests}; faults injected: ${injected} (${faults}); answered 502 while the server was down: ${f.proxy.targetDown}`,
    `  server kills: ${f.kills.total} (${f.kills.midBatch} in the middle of a batch)`,
    ...(Object.keys(f.owing).length > 0 ? [`  faults still owed: ${JSON.stringify(f.owing)}`] : []),
    `  the server answered (every copy of every form): ${f.server.accepted} accepted, ${f.server.duplicate} duplicate, ${f.server.conflict} conflict, over ${f.server.batches} batches`,
    `  phones heard: ${f.phoneVerdicts.accepted} accepted, ${f.phoneVerdicts.duplicate} duplicate (their first answer was lost), ${f.phoneVerdicts.conflict} conflict; ` +
      `unsent: ${f.unsent.queued} queued, ${f.unsent.sending} sending, ${f.unsent.held} held, ${f.unsent.rejected} rejected`,
    `  forms in the database: ${f.audit.landed}; losses: ${f.audit.lost.length}; stored twice: ${f.audit.repeated.length}; ` +
      `unknown: ${f.audit.unknown.length}; altered: ${f.audit.altered.length}; bad seals: ${f.audit.badSeals.length}`,
  ].join('\n');
}

// A fault-injecting HTTP proxy on loopback, written for the tests: between the phones and the server it drops
// requests, resets connections before and after the server answered, delays, answers 500/502/503 itself and sends
// requests to the server twice.
//
// Which fault a request meets is decided per client (a phone, named by its X-Fault-Client header) and attempt:
// the k-th request of a phone draws from that phone's own seeded stream, so a seed replays the same decisions
// whatever the other phones did and however the forms were batched. Coverage does not rest on luck either:
// a client is owed the kinds listed in `owed` from its first request, and any fault that could not take effect
// (the server was down, the client left) stays owed; an owed fault is given to the client's next attempts
// until it has really been applied. The owed kinds that fail a request come first and `duplicate` (which lets
// the request through) last, so a client with something left to send keeps sending until it has met them all.
import http from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { randomInt, seededRandom } from './seeded-random';

/** The faults that exclude one another: at most one of them hits a request. */
export const FAULT_KINDS = ['drop', 'resetBeforeForward', 'resetAfterResponse', 'status500', 'status502', 'status503', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probabilities from 0 to 1 per request. The exclusive kinds add up to at most 1; a delay combines with any of them. */
export type FaultRates = Record<FaultKind, number> & { delayRate: number; delayMs: readonly [min: number, max: number] };

export interface FaultStats {
  /** requests the proxy received */
  requests: number;
  /** copies of requests the target answered (a duplicated request counts two) */
  forwarded: number;
  /** answers the client received in full, the injected statuses included */
  answered: number;
  /** faults that took effect, by kind: a fault the server's being down made moot is not counted (it stays owed) */
  faults: Record<FaultKind | 'delay', number>;
  /** requests answered 502 because the target refused, reset or closed the connection before answering */
  targetDown: number;
  /** requests answered 413 because their body exceeded maxBodyBytes */
  tooLarge: number;
  /** failures of the proxy itself (a bug here, not an injected fault); empty in a sound run */
  proxyErrors: string[];
}

/** What was decided for one request. Replaying a seed gives each client the same decisions, attempt by attempt. */
export interface FaultDecision {
  /** arrival order over all clients (not part of what a seed fixes) */
  seq: number;
  /** who sent it (clientOf), '' for a client that does not say */
  client: string;
  /** 1 for the client's first matched request, 2 for its second… */
  attempt: number;
  method: string;
  path: string;
  fault: FaultKind | 'none';
  /** true when the fault was one the client was owed, false when the rates drew it */
  owed: boolean;
  /** whether the fault took effect: null while the request is under way (and always for 'none'); false leaves it owed */
  applied: boolean | null;
  /** how long the request is held before its fault, or null when it is not delayed */
  delayMs: number | null;
}

/** Runs `fn` after `ms`; returns a function that cancels it (the sync engine's SetTimer shape). */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface FaultProxyOptions {
  target: { host: string; port: number };
  seed: number;
  faults?: Partial<FaultRates>;
  /** loopback only: 127.0.0.1 (default), ::1 or localhost */
  listenHost?: string;
  /** how long a dropped request is held before its socket is closed; 100 ms by default */
  dropAfterMs?: number;
  /** request bodies are buffered (to send them twice) up to this size; larger ones get 413. 16 MiB by default */
  maxBodyBytes?: number;
  /** requests for which it returns false pass through untouched, and draw nothing; all requests by default */
  match?: (request: { method: string; path: string }) => boolean;
  /** names the client of a request, keying its decisions; by default its X-Fault-Client header, '' without one */
  clientOf?: (request: { method: string; path: string; headers: http.IncomingHttpHeaders }) => string;
  /** the kinds every client is owed from its first request, each given to it until it has been applied; none by default */
  owed?: readonly FaultKind[];
  /** injected so tests can hold and release delays without waiting */
  setTimer?: SetTimer;
}

export interface FaultProxy {
  port: number;
  /** the origin to point clients at, e.g. http://127.0.0.1:41234 */
  url: string;
  stats(): FaultStats;
  history(): FaultDecision[];
  /** the kinds each client is still owed, for the clients that are owed any */
  owing(): Record<string, FaultKind[]>;
  /** changes some rates from the next request on; throws on a bad value and keeps the old rates */
  setFaults(faults: Partial<FaultRates>): void;
  /** stops listening, cancels held requests, destroys every client and target connection */
  close(): Promise<void>;
}

export const NO_FAULTS: FaultRates = {
  drop: 0, resetBeforeForward: 0, resetAfterResponse: 0, status500: 0, status502: 0, status503: 0, duplicate: 0, delayRate: 0, delayMs: [0, 0],
};

const LOOPBACK: ReadonlyMap<string, string> = new Map([['127.0.0.1', '127.0.0.1'], ['::1', '::1'], ['localhost', '127.0.0.1']]);
// connection-level headers belong to one hop (RFC 9110 §7.6.1); Node frames each hop's body itself
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
// the request body is buffered and re-sent whole, so its length is recomputed and nothing waits for 100-continue
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'expect', 'content-length']);
const INJECTED_ANSWERS: Record<'status500' | 'status502' | 'status503', { status: number; type: string; body: string }> = {
  status500: { status: 500, type: 'application/json', body: JSON.stringify({ error: { code: 'injected-500', message: 'Internal Server Error (injected by the fault proxy)' } }) },
  // what a real gateway sends: HTML, not the API's JSON
  status502: { status: 502, type: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>' },
  status503: { status: 503, type: 'application/json', body: JSON.stringify({ error: { code: 'injected-503', message: 'Service Unavailable (injected by the fault proxy)' } }) },
};

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = { address: loopbackAddress(options.target?.host, 'target.host'), port: checkPort(options.target?.port) };
  const listenAddress = loopbackAddress(options.listenHost ?? '127.0.0.1', 'listenHost');
  // the seed is checked at once, not at the first request
  seededRandom(options.seed);
  const dropAfterMs = checkWholeNumber(options.dropAfterMs ?? 100, 'dropAfterMs');
  const maxBodyBytes = checkWholeNumber(options.maxBodyBytes ?? 16 * 1024 * 1024, 'maxBodyBytes');
  const match = options.match ?? (() => true);
  const clientOf = options.clientOf ?? (({ headers }) => { const name = headers['x-fault-client']; return typeof name === 'string' ? name : ''; });
  const owedAtStart = checkOwed(options.owed ?? []);
  const setTimer = options.setTimer ?? ((fn, ms) => { const id = setTimeout(fn, ms); return () => clearTimeout(id); });
  let rates = checkRates({ ...NO_FAULTS, ...options.faults });

  const stats: FaultStats = {
    requests: 0, forwarded: 0, answered: 0, targetDown: 0, tooLarge: 0, proxyErrors: [],
    faults: { drop: 0, resetBeforeForward: 0, resetAfterResponse: 0, status500: 0, status502: 0, status503: 0, duplicate: 0, delay: 0 },
  };
  const history: FaultDecision[] = [];
  const clients = new Map<string, ClientState>();
  const clientSockets = new Set<Socket>();
  const targetRequests = new Map<http.ClientRequest, Promise<void>>();
  const heldRequests = new Set<() => void>();
  let closing: Promise<void> | null = null;

  /** Resolves true after `ms`, or false when the proxy closes first. */
  function hold(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const release = (done: boolean) => { heldRequests.delete(cancelHold); resolve(done); };
      const cancelTimer = setTimer(() => release(true), ms);
      const cancelHold = () => { cancelTimer(); release(false); };
      heldRequests.add(cancelHold);
    });
  }

  function clientState(name: string): ClientState {
    let state = clients.get(name);
    if (!state) {
      state = { random: seededRandom(options.seed, name), attempts: 0, owed: owedOrder(owedAtStart, seededRandom(options.seed, `${name}\u0000owed`)) };
      clients.set(name, state);
    }
    return state;
  }

  function decide(seq: number, client: string, method: string, path: string): FaultDecision {
    const state = clientState(client);
    state.attempts += 1;
    // always three draws per attempt, owed or not, so neither a rate change nor an owed fault shifts the draws of later attempts
    const pick = state.random();
    const delayed = state.random() < rates.delayRate;
    const span = randomInt(state.random, rates.delayMs[0], rates.delayMs[1]);
    const owed = state.owed[0];
    let fault: FaultKind | 'none' = 'none';
    if (owed !== undefined) fault = owed;
    else {
      let edge = 0;
      for (const kind of FAULT_KINDS) {
        edge += rates[kind];
        if (pick < edge) {
          fault = kind;
          break;
        }
      }
    }
    return { seq, client, attempt: state.attempts, method, path, fault, owed: owed !== undefined, applied: null, delayMs: delayed ? span : null };
  }

  /** Records whether the decided fault took effect: counted if it did, owed to the client's next attempt if not. */
  function settle(decision: FaultDecision | null, applied: boolean): void {
    if (!decision || decision.fault === 'none' || decision.applied !== null) return;
    const kind = decision.fault;
    const state = clientState(decision.client);
    decision.applied = applied;
    if (applied) {
      stats.faults[kind] += 1;
      state.owed = state.owed.filter((owed) => owed !== kind);
    } else if (!state.owed.includes(kind)) {
      state.owed.unshift(kind);
    }
  }

  /** Sends one copy of the request to the target; null when no answer came. */
  function forward(req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage | null> {
    return new Promise((resolve) => {
      const headers = copyHeaders(req.rawHeaders, NOT_FORWARDED);
      if (body.length > 0 || req.headers['content-length'] !== undefined) headers.push('Content-Length', String(body.length));
      // a fresh connection per copy: a restarted target never sees a stale socket, so every reset is one we chose
      const request = http.request({ host: target.address, port: target.port, method: req.method, path: req.url, headers, agent: false });
      targetRequests.set(request, new Promise((done) => request.once('close', () => { targetRequests.delete(request); done(); })));
      request.once('response', (response) => { stats.forwarded += 1; resolve(response); });
      request.once('error', () => resolve(null));
      request.end(body);
    });
  }

  function answer(res: http.ServerResponse, status: number, type: string, body: string, fault: string): void {
    res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), 'X-Fault-Proxy': fault });
    res.end(body);
  }

  function answerTargetDown(res: http.ServerResponse): void {
    stats.targetDown += 1;
    answer(res, 502, 'application/json', JSON.stringify({ error: { code: 'target-down', message: 'the fault proxy could not reach the server' } }), 'target-down');
  }

  function relay(response: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(response.statusCode ?? 502, response.statusMessage, copyHeaders(response.rawHeaders, HOP_BY_HOP));
    // streamed; a target that dies mid-answer leaves the client with a cut connection, as it would without us
    pipeline(response, res, () => undefined);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests += 1;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const decision = match({ method, path }) ? decide(stats.requests, clientOf({ method, path, headers: req.headers }), method, path) : null;
    if (decision) history.push(decision);
    res.once('finish', () => { stats.answered += 1; });
    // whatever ends the request before its fault took effect leaves the fault owed
    try {
      await apply(req, res, decision);
    } finally {
      settle(decision, false);
    }
  }

  async function apply(req: http.IncomingMessage, res: http.ServerResponse, decision: FaultDecision | null): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    if (closing || body === 'client-gone') return;
    if (body === 'too-large') {
      stats.tooLarge += 1;
      answer(res, 413, 'application/json', JSON.stringify({ error: { code: 'too-large', message: `the fault proxy buffers at most ${maxBodyBytes} bytes` } }), 'too-large');
      return;
    }
    // a client that gave up while the request was held does not stop it: the server may still get it, as on a real network
    if (decision?.delayMs != null) {
      stats.faults.delay += 1;
      if (!(await hold(decision.delayMs))) return;
    }

    const fault = decision?.fault ?? 'none';
    switch (fault) {
      case 'drop':
        if (!(await hold(dropAfterMs))) return;
        req.socket.destroy();
        return settle(decision, true);
      case 'resetBeforeForward':
        reset(req.socket);
        return settle(decision, true);
      case 'status500':
      case 'status502':
      case 'status503': {
        const injected = INJECTED_ANSWERS[fault];
        answer(res, injected.status, injected.type, injected.body, fault);
        return settle(decision, true);
      }
      case 'resetAfterResponse': {
        const response = await forward(req, body);
        if (closing) return;
        if (!response) return answerTargetDown(res);
        // read the whole answer first: the server has finished (and committed) before the client loses it
        response.resume();
        await new Promise((done) => response.once('close', done));
        if (closing) return;
        // an answer cut short (the server died while sending it) is not one the server finished
        settle(decision, response.complete);
        reset(req.socket);
        return;
      }
      case 'duplicate': {
        // both copies at once, as a retry racing the original would be; the client hears once both were
        // answered (so the fault is settled before its next attempt), and gets the second copy's answer
        const first = forward(req, body);
        const second = forward(req, body);
        void first.then((response) => response?.resume());
        const [firstAnswer, secondAnswer] = await Promise.all([first, second]);
        if (closing) return;
        settle(decision, firstAnswer !== null && secondAnswer !== null);
        const response = secondAnswer ?? firstAnswer;
        return response ? relay(response, res) : answerTargetDown(res);
      }
      case 'none': {
        const response = await forward(req, body);
        if (closing) return;
        return response ? relay(response, res) : answerTargetDown(res);
      }
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      stats.proxyErrors.push(error instanceof Error ? error.stack ?? error.message : String(error));
      req.socket.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    clientSockets.add(socket);
    socket.once('close', () => clientSockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenAddress, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: the server has no TCP address');
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    port: address.port,
    url: `http://${hostInUrl}:${address.port}`,
    stats: () => ({ ...stats, faults: { ...stats.faults }, proxyErrors: [...stats.proxyErrors] }),
    history: () => history.map((decision) => ({ ...decision })),
    owing: () => Object.fromEntries([...clients].filter(([, state]) => state.owed.length > 0).map(([name, state]) => [name, [...state.owed]])),
    setFaults(faults) {
      rates = checkRates({ ...rates, ...faults });
    },
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const cancel of [...heldRequests]) cancel();
        for (const socket of clientSockets) socket.destroy();
        const targetsClosed = [...targetRequests.values()];
        for (const request of targetRequests.keys()) request.destroy();
        await Promise.all([serverClosed, ...targetsClosed]);
      })();
      return closing;
    },
  };
}

interface ClientState {
  /** the client's own stream: its k-th attempt always takes the same three draws */
  random: () => number;
  attempts: number;
  /** what it is still owed, the next attempt's fault first */
  owed: FaultKind[];
}

/**
 * The owed kinds in a seeded order, those that fail the request first and `duplicate` last: every failure
 * leaves the client something to resend, so it comes back until it has met them all.
 */
function owedOrder(kinds: readonly FaultKind[], random: () => number): FaultKind[] {
  const failing: FaultKind[] = kinds.filter((kind) => kind !== 'duplicate');
  for (let i = failing.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, 0, i);
    [failing[i], failing[j]] = [failing[j] as FaultKind, failing[i] as FaultKind];
  }
  return kinds.includes('duplicate') ? [...failing, 'duplicate'] : failing;
}

function checkOwed(owed: unknown): FaultKind[] {
  const known: readonly unknown[] = FAULT_KINDS;
  if (!Array.isArray(owed) || !owed.every((kind) => known.includes(kind))) {
    throw new Error(`fault proxy: owed must be a list of fault kinds (${FAULT_KINDS.join(', ')}), got ${JSON.stringify(owed)}`);
  }
  return [...new Set(owed as FaultKind[])];
}

type BodyRead = Buffer | 'too-large' | 'client-gone';

/** The whole body, or 'too-large' once it is read to its end (kept no further than `limit`, so memory stays bounded). */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // read on past the limit without keeping it: a client still uploading would miss a 413 sent early
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks, size)));
    // an aborted upload: 'error' then 'close', without 'end' (the later resolve is a no-op after 'end')
    req.once('error', () => undefined);
    req.once('close', () => resolve('client-gone'));
  });
}

function copyHeaders(rawHeaders: string[], skip: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!skip.has(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] as string);
  }
  return kept;
}

/** A TCP reset (RST), not a polite close: the client sees ECONNRESET. */
function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

function loopbackAddress(host: unknown, field: string): string {
  const address = typeof host === 'string' ? LOOPBACK.get(host.replace(/^\[(.*)\]$/, '$1').toLowerCase()) : undefined;
  if (address === undefined) throw new Error(`fault proxy: ${field} must be a loopback host (127.0.0.1, ::1 or localhost), got ${show(host)}`);
  return address;
}

/** A bad value as it was given: NaN stays NaN, a string keeps its quotes. */
function show(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`fault proxy: target.port must be an integer from 1 to 65535, got ${show(port)}`);
  }
  return port;
}

function checkWholeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`fault proxy: ${field} must be a whole number ≥ 0, got ${show(value)}`);
  }
  return value;
}

function checkRates(rates: FaultRates): FaultRates {
  for (const key of Object.keys(rates)) {
    if (!Object.hasOwn(NO_FAULTS, key)) throw new Error(`fault proxy: unknown fault "${key}"; the faults are ${Object.keys(NO_FAULTS).join(', ')}`);
  }
  for (const key of [...FAULT_KINDS, 'delayRate'] as const) {
    const rate = rates[key];
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`fault proxy: faults.${key} must be a number from 0 to 1, got ${show(rate)}`);
  }
  const total = FAULT_KINDS.reduce((sum, kind) => sum + rates[kind], 0);
  // a little slack for sums such as 0.1 × 7
  if (total > 1 + 1e-9) throw new Error(`fault proxy: the rates of ${FAULT_KINDS.join(', ')} add up to ${total}; they exclude one another, so at most 1`);
  const range: unknown = rates.delayMs;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((ms) => Number.isSafeInteger(ms) && ms >= 0) || range[0] > range[1]) {
    throw new Error(`fault proxy: faults.delayMs must be [min, max], whole milliseconds with 0 ≤ min ≤ max, got ${show(range)}`);
  }
  return { ...rates, delayMs: [range[0], range[1]] };
}

// The fault proxy against a tiny counting echo server on loopback: each fault does what it says, a seed replays
// per client and attempt, owed faults are applied whatever the number of requests and the server's downtime,
// rates 0 are transparent, non-loopback targets are refused and close() leaves nothing open.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAULT_KINDS, NO_FAULTS, startFaultProxy, type FaultDecision, type FaultKind, type FaultProxy, type FaultProxyOptions, type FaultRates, type SetTimer } from './fault-proxy';
import { randomInt, seededRandom } from './seeded-random';

interface SeenRequest { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }
type Respond = (seen: SeenRequest, res: http.ServerResponse, n: number) => void;

interface Target { port: number; seen: SeenRequest[]; answered: number; respond: Respond; close(): Promise<void> }

/** Answers 201 with the request's body, a count and two cookies: what the proxy must pass on intact. */
const echo: Respond = (seen, res, n) => {
  res.writeHead(201, 'Created', [
    'Content-Type', seen.headers['content-type'] ?? 'application/octet-stream', 'X-Seen-Count', String(n),
    'Set-Cookie', 'a=1; Path=/', 'Set-Cookie', 'b=2; Path=/', 'X-MiXeD-Case', 'kept',
  ]);
  res.end(seen.body);
};

/** Real sockets on a machine that may be loaded: a wait is bounded generously, and ends as soon as its event comes. */
const EVENTUALLY = { timeout: 15_000, interval: 20 };

async function startTarget(port = 0): Promise<Target> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      target.seen.push(seen);
      res.once('finish', () => { target.answered += 1; });
      target.respond(seen, res, target.seen.length);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const target: Target = {
    port: (server.address() as { port: number }).port, seen: [], answered: 0, respond: echo,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return target;
}

type Outcome =
  | { status: number; statusMessage: string; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }
  | { error: { code: string | undefined; message: string } };

/** One request on its own connection, so a connection-level fault hits only it. */
function send(baseUrl: string, init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(`${baseUrl}${init.path ?? '/api/v1/forms'}`, { method: init.method ?? 'POST', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: { code: error.code, message: error.message } }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: { code: error.code, message: error.message } }));
    request.end(init.body);
  });
}

function answered(outcome: Outcome) {
  if ('error' in outcome) throw new Error(`expected an answer, got ${outcome.error.message}`);
  return outcome;
}

/** Timers the test fires by hand: a delay is held exactly until the test releases it. */
function manualTimers() {
  const pending: { ms: number; fire: () => void }[] = [];
  const setTimer: SetTimer = (fn, ms) => {
    const timer = { ms, fire: fn };
    pending.push(timer);
    return () => { pending.splice(pending.indexOf(timer), 1); };
  };
  return { pending, setTimer };
}

const tcpHandles = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TCPServerWrap').length;
/** Waits until the echo server's listening socket is the process's only TCP handle (closed ones leave a moment later). */
const onlyTheTargetIsOpen = () => vi.waitFor(() => expect(tcpHandles()).toBe(1), EVENTUALLY);

let target: Target;
const proxies: FaultProxy[] = [];

async function proxyFor(faults: Partial<FaultRates>, options: Partial<FaultProxyOptions> = {}): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: target.port }, seed: 7, faults, ...options });
  proxies.push(proxy);
  return proxy;
}

beforeEach(async () => {
  target = await startTarget();
});

afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    expect(proxy.stats().proxyErrors).toEqual([]);
    await proxy.close();
  }
  await target.close();
});

describe('seededRandom', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const take = (seed: number) => { const random = seededRandom(seed); return Array.from({ length: 20 }, () => random()); };
    expect(take(42)).toEqual(take(42));
    expect(take(43)).not.toEqual(take(42));
    // seeds that differ only above bit 32, or in sign, still differ
    expect(take(2 ** 32 + 1)).not.toEqual(take(1));
    expect(take(-1)).not.toEqual(take(1));
  });

  it('keeps the stream of a seed fixed, so a seed printed by a failing run still replays it', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([0.7396436312701553, 0.034666430903598666, 0.5958940365817398]);
  });

  it('draws uniformly in [0, 1)', () => {
    const random = seededRandom(2026);
    const deciles = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const value = random();
      min = Math.min(min, value);
      max = Math.max(max, value);
      deciles[Math.floor(value * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of deciles) {
      expect(count).toBeGreaterThan(1_800);
      expect(count).toBeLessThan(2_200);
    }
  });

  it('randomInt covers both ends of its range and nothing outside it', () => {
    const random = seededRandom(3);
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 5, 9)));
    expect([...seen].sort()).toEqual([5, 6, 7, 8, 9]);
  });

  it('gives each key of a seed its own stream; the key \'\' is the seed\'s own', () => {
    const take = (seed: number, key?: string) => { const random = seededRandom(seed, key); return Array.from({ length: 20 }, () => random()); };
    expect(take(42, '')).toEqual(take(42));
    expect(take(42, 'phone-1')).toEqual(take(42, 'phone-1'));
    expect(take(42, 'phone-1')).not.toEqual(take(42));
    expect(take(42, 'phone-1')).not.toEqual(take(42, 'phone-2'));
    expect(take(43, 'phone-1')).not.toEqual(take(42, 'phone-1'));
  });

  it.each([1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY, '7'])('refuses the seed %s, naming it', (seed) => {
    expect(() => seededRandom(seed as number)).toThrow(`seededRandom: the seed must be a safe integer, got ${String(seed)}`);
  });
});

describe('with every rate 0 the proxy is transparent', () => {
  it('passes a large Chinese body, the path, the query and the headers both ways intact', async () => {
    const proxy = await proxyFor({});
    const body = Buffer.from(JSON.stringify({ opinion: '师傅很专业，主刷已更换，试车正常。'.repeat(60_000), emoji: '👍🏽' }));
    expect(body.length).toBeGreaterThan(3_000_000);
    const path = `/api/v1/forms/${encodeURIComponent('维修服务单')}?note=${encodeURIComponent('换刷 & 试车')}`;
    const outcome = answered(await send(proxy.url, {
      path, body, headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: 'Bearer tok-123', 'X-Trace-Id': 'abc' },
    }));

    expect(target.seen).toHaveLength(1);
    const seen = target.seen[0]!;
    expect(seen.url).toBe(path);
    expect(seen.body.equals(body)).toBe(true);
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer tok-123', 'x-trace-id': 'abc', 'content-length': String(body.length) });
    expect(outcome.status).toBe(201);
    expect(outcome.statusMessage).toBe('Created');
    expect(outcome.body.equals(body)).toBe(true);
    expect(outcome.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(outcome.rawHeaders).toContain('X-MiXeD-Case');
    expect(outcome.headers['x-fault-proxy']).toBeUndefined();
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 1, answered: 1, targetDown: 0, faults: { drop: 0, delay: 0, duplicate: 0 } });
  });

  it('streams an answer of unknown length and forwards a GET without inventing a body', async () => {
    const proxy = await proxyFor({});
    const chunk = '上门服务助手，'.repeat(10_000);
    target.respond = (_seen, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      for (let i = 0; i < 20; i += 1) res.write(chunk);
      res.end();
    };
    const outcome = answered(await send(proxy.url, { method: 'GET', path: '/api/v1/visits' }));
    expect(outcome.body.toString('utf8')).toBe(chunk.repeat(20));
    expect(outcome.headers['transfer-encoding']).toBe('chunked');
    expect(target.seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/visits' });
    expect(target.seen[0]!.headers['content-length']).toBeUndefined();
  });

  it('serves fetch (the phone\'s client) over kept-alive connections', async () => {
    const proxy = await proxyFor({});
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${proxy.url}/api/v1/forms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ i, 签名: '王先生' }) });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ i, 签名: '王先生' });
    }
    expect(target.seen).toHaveLength(5);
    expect(proxy.stats()).toMatchObject({ requests: 5, forwarded: 5, answered: 5 });
  });
});

describe('each fault does what it says', () => {
  it('drop: the server never sees the request and the client sees the connection close without an answer', async () => {
    const proxy = await proxyFor({ drop: 1 });
    const outcome = await send(proxy.url, { body: '{"form":1}' });
    expect(outcome).toEqual({ error: { code: 'ECONNRESET', message: 'socket hang up' } });
    expect(target.seen).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0, answered: 0, faults: { drop: 1 } });
  });

  it('resetBeforeForward: the server never sees the request and the client gets a TCP reset', async () => {
    const proxy = await proxyFor({ resetBeforeForward: 1 });
    const outcome = await send(proxy.url, { body: '{"form":1}' });
    expect(outcome).toEqual({ error: { code: 'ECONNRESET', message: 'read ECONNRESET' } });
    expect(target.seen).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ forwarded: 0, answered: 0, faults: { resetBeforeForward: 1 } });
  });

  it('resetAfterResponse: the server answers in full, then the client gets a TCP reset instead of the answer', async () => {
    const proxy = await proxyFor({ resetAfterResponse: 1 });
    const outcome = await send(proxy.url, { body: '{"form":1}' });
    expect(outcome).toEqual({ error: { code: 'ECONNRESET', message: 'read ECONNRESET' } });
    expect(target.seen).toHaveLength(1);
    expect(target.answered).toBe(1);
    expect(proxy.stats()).toMatchObject({ forwarded: 1, answered: 0, faults: { resetAfterResponse: 1 } });
  });

  it.each([
    ['status500', 500, 'application/json; charset=utf-8', '"code":"injected-500"'],
    ['status502', 502, 'text/html; charset=utf-8', '<h1>502 Bad Gateway</h1>'],
    ['status503', 503, 'application/json; charset=utf-8', '"code":"injected-503"'],
  ] as const)('%s: the proxy answers %i itself and the server never sees the request', async (kind, status, type, text) => {
    const proxy = await proxyFor({ [kind]: 1 });
    const outcome = answered(await send(proxy.url, { body: '{"form":1}' }));
    expect(outcome.status).toBe(status);
    expect(outcome.headers['content-type']).toBe(type);
    expect(outcome.headers['x-fault-proxy']).toBe(kind);
    expect(outcome.body.toString()).toContain(text);
    expect(target.seen).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ forwarded: 0, answered: 1, faults: { [kind]: 1 } });
  });

  it('duplicate: the server gets the same request twice and the client one of its answers', async () => {
    const proxy = await proxyFor({ duplicate: 1 });
    const body = JSON.stringify({ forms: [{ id: 'f-1', 备注: '重复' }] });
    const outcome = answered(await send(proxy.url, { body, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' } }));
    expect(outcome.status).toBe(201);
    expect(outcome.body.toString()).toBe(body);
    expect(['1', '2']).toContain(outcome.headers['x-seen-count']);
    await vi.waitFor(() => expect(target.answered).toBe(2), EVENTUALLY);
    expect(target.seen.map((seen) => seen.body.toString())).toEqual([body, body]);
    expect(target.seen[0]!.headers).toEqual(target.seen[1]!.headers);
    expect(proxy.stats()).toMatchObject({ forwarded: 2, answered: 1, faults: { duplicate: 1 } });
  });

  it('delay: holds the request for a drawn time within the range, then forwards it', async () => {
    const timers = manualTimers();
    const proxy = await proxyFor({ delayRate: 1, delayMs: [200, 400] }, { setTimer: timers.setTimer });
    let settled = false;
    const outcome = send(proxy.url, { body: 'late' }).finally(() => { settled = true; });
    await vi.waitFor(() => expect(timers.pending).toHaveLength(1), EVENTUALLY);
    const held = timers.pending[0]!;
    expect(held.ms).toBeGreaterThanOrEqual(200);
    expect(held.ms).toBeLessThanOrEqual(400);
    expect(proxy.history()[0]).toMatchObject({ fault: 'none', delayMs: held.ms });
    expect(target.seen).toHaveLength(0);
    expect(settled).toBe(false);

    held.fire();
    expect(answered(await outcome).body.toString()).toBe('late');
    expect(target.seen).toHaveLength(1);
    expect(proxy.stats()).toMatchObject({ forwarded: 1, answered: 1, faults: { delay: 1 } });
  });

  it('fetch sees a drop and the resets as network errors and an injected status as an answer, as the sync engine will', async () => {
    const proxy = await proxyFor({}, { dropAfterMs: 0 });
    const post = () => fetch(`${proxy.url}/api/v1/forms`, { method: 'POST', body: '{}' });
    for (const kind of ['drop', 'resetBeforeForward', 'resetAfterResponse'] as const) {
      proxy.setFaults({ ...NO_FAULTS, [kind]: 1 });
      await expect(post()).rejects.toThrow(TypeError);
    }
    proxy.setFaults({ ...NO_FAULTS, status503: 1 });
    const response = await post();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'injected-503', message: 'Service Unavailable (injected by the fault proxy)' } });
  });

  it('a target that is down gets 502 target-down, counted apart from the injected faults', async () => {
    const down = await startTarget();
    const port = down.port;
    await down.close();
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port }, seed: 1 });
    proxies.push(proxy);
    const outcome = answered(await send(proxy.url, { body: '{}' }));
    expect(outcome.status).toBe(502);
    expect(outcome.headers['x-fault-proxy']).toBe('target-down');
    expect(JSON.parse(outcome.body.toString())).toEqual({ error: { code: 'target-down', message: 'the fault proxy could not reach the server' } });
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0, answered: 1, targetDown: 1, faults: { status502: 0 } });
  });

  it.each([['with a Content-Length', false], ['chunked', true]] as const)('a body over maxBodyBytes (%s) gets 413 and never reaches the server', async (_name, chunked) => {
    const proxy = await proxyFor({ duplicate: 1 }, { maxBodyBytes: 1024 });
    const body = Buffer.alloc(200_000, 'x');
    const outcome = answered(await send(proxy.url, { body, headers: chunked ? { 'Transfer-Encoding': 'chunked' } : {} }));
    expect(outcome.status).toBe(413);
    expect(outcome.body.toString()).toContain('at most 1024 bytes');
    expect(target.seen).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ tooLarge: 1, forwarded: 0, answered: 1 });
  });
});

describe('a seed replays the same faults', () => {
  const mixed: Partial<FaultRates> = {
    drop: 0.1, resetBeforeForward: 0.1, resetAfterResponse: 0.1, status500: 0.1, status502: 0.1, status503: 0.1, duplicate: 0.1, delayRate: 0.3, delayMs: [0, 3],
  };

  async function run(seed: number, requests: number, before?: (proxy: FaultProxy, i: number) => void) {
    const proxy = await proxyFor(mixed, { seed, dropAfterMs: 0 });
    for (let i = 0; i < requests; i += 1) {
      before?.(proxy, i);
      await send(proxy.url, { path: `/api/v1/forms?i=${i}`, body: String(i) });
    }
    return proxy;
  }

  it('the same seed gives the same sequence, another seed another; the counts agree with what the server saw', async () => {
    const first = await run(11, 60);
    const count = (kind: FaultKind | 'none') => first.history().filter((decision) => decision.fault === kind).length;
    const forwards = count('none') + count('resetAfterResponse') + 2 * count('duplicate');
    // a duplicated request is answered once the server answered both copies: nothing is still on its way
    expect(target.seen).toHaveLength(forwards);
    expect(first.stats().forwarded).toBe(forwards);
    expect(first.history().every((decision) => decision.applied === (decision.fault === 'none' ? null : true))).toBe(true);
    const again = await run(11, 60);
    const other = await run(12, 60);
    const faults = (proxy: FaultProxy) => proxy.history().map(({ fault, delayMs }) => ({ fault, delayMs }));

    expect(faults(again)).toEqual(faults(first));
    expect(faults(other)).not.toEqual(faults(first));
    expect(first.history().map((decision) => decision.path)).toEqual(Array.from({ length: 60 }, (_, i) => `/api/v1/forms?i=${i}`));
    const kinds = new Set(first.history().map((decision) => decision.fault));
    expect([...kinds].sort()).toEqual(['drop', 'duplicate', 'none', 'resetAfterResponse', 'resetBeforeForward', 'status500', 'status502', 'status503']);

    const stats = first.stats();
    for (const kind of ['drop', 'resetBeforeForward', 'resetAfterResponse', 'status500', 'status502', 'status503', 'duplicate'] as const) {
      expect(stats.faults[kind]).toBe(count(kind));
    }
    expect(stats.faults.delay).toBe(first.history().filter((decision) => decision.delayMs !== null).length);
    expect(stats.answered).toBe(count('none') + count('duplicate') + count('status500') + count('status502') + count('status503'));
  });

  it('setFaults changes the rates from the next request without shifting the faults drawn for later ones', async () => {
    const steady = await run(21, 30);
    const changed = await run(21, 30, (proxy, i) => {
      if (i === 0) proxy.setFaults({ ...NO_FAULTS, status503: 1 });
      if (i === 10) proxy.setFaults(mixed);
    });
    expect(changed.history().slice(0, 10).every((decision) => decision.fault === 'status503' && decision.delayMs === null)).toBe(true);
    const tail = (proxy: FaultProxy) => proxy.history().slice(10).map(({ fault, delayMs }) => ({ fault, delayMs }));
    expect(tail(changed)).toEqual(tail(steady));

    changed.setFaults(NO_FAULTS);
    expect(answered(await send(changed.url, { body: 'clean' })).body.toString()).toBe('clean');
  });

  it('setFaults refuses a bad rate and keeps the rates it had', async () => {
    const proxy = await proxyFor({ status503: 1 });
    expect(() => proxy.setFaults({ drop: 0.5 })).toThrow('fault proxy: the rates of drop, resetBeforeForward, resetAfterResponse, status500, status502, status503, duplicate add up to 1.5; they exclude one another, so at most 1');
    expect(answered(await send(proxy.url)).status).toBe(503);
  });

  it('requests that match() refuses pass through untouched and draw nothing', async () => {
    const proxy = await proxyFor({ status500: 1 }, { match: ({ method, path }) => method === 'POST' && path.startsWith('/api/') });
    expect(answered(await send(proxy.url, { method: 'GET', path: '/index.html' })).status).toBe(201);
    expect(answered(await send(proxy.url, { path: '/api/v1/forms' })).status).toBe(500);
    expect(proxy.history()).toEqual([
      { seq: 2, client: '', attempt: 1, method: 'POST', path: '/api/v1/forms', fault: 'status500', owed: false, applied: true, delayMs: null },
    ]);
    expect(proxy.stats()).toMatchObject({ requests: 2, forwarded: 1, faults: { status500: 1 } });
  });
});

describe('owed faults: every kind is applied, whatever the number of requests and the server\'s downtime', () => {
  /** A phone's sync in small: one request with every form in it, sent again after each failure until a 2xx answer. */
  async function sendUntilAnswered(proxy: FaultProxy, client: string, body: string, limit = 50): Promise<number> {
    for (let attempt = 1; attempt <= limit; attempt += 1) {
      const outcome = await send(proxy.url, { body, headers: { 'X-Fault-Client': client } });
      if (!('error' in outcome) && outcome.status < 300) return attempt;
    }
    throw new Error(`${client}: no answer in ${limit} attempts`);
  }

  const decisionsOf = (proxy: FaultProxy, client: string) =>
    proxy.history().filter((decision) => decision.client === client).map(({ attempt, fault, owed, applied, delayMs }) => ({ attempt, fault, owed, applied, delayMs }));

  it('a client that sends everything in one request still meets every kind, the failing ones first and duplicate last', async () => {
    const proxy = await proxyFor({}, { owed: FAULT_KINDS, dropAfterMs: 0, seed: 5 });
    const forms = JSON.stringify({ forms: Array.from({ length: 50 }, (_, i) => ({ id: `f-${i}`, 备注: '一批' })) });
    const attempts = await sendUntilAnswered(proxy, 'phone-1', forms);

    // six failures, each answered by a resend, then the duplicate that lets the batch through
    expect(attempts).toBe(FAULT_KINDS.length);
    const decisions = decisionsOf(proxy, 'phone-1');
    expect(decisions.map((decision) => decision.fault).sort()).toEqual([...FAULT_KINDS].sort());
    expect(decisions.at(-1)).toMatchObject({ fault: 'duplicate', owed: true, applied: true });
    expect(decisions.every((decision) => decision.owed && decision.applied)).toBe(true);
    for (const kind of FAULT_KINDS) expect(proxy.stats().faults[kind], kind).toBe(1);
    expect(proxy.owing()).toEqual({});

    // nothing more is owed and the rates are 0: the next request passes untouched
    expect(answered(await send(proxy.url, { body: 'clean', headers: { 'X-Fault-Client': 'phone-1' } })).body.toString()).toBe('clean');
    // each client is owed every kind on its own: a second phone meets them all too
    expect(await sendUntilAnswered(proxy, 'phone-2', forms)).toBe(FAULT_KINDS.length);
    expect(proxy.stats().faults).toMatchObject(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 2])));
  });

  it.each(['resetAfterResponse', 'duplicate'] as const)('%s drawn while the server is down is not counted and is still owed once it is back', async (kind) => {
    const port = target.port;
    await target.close();
    const proxy = await proxyFor({ [kind]: 1 });
    const whileDown = answered(await send(proxy.url, { body: 'first', headers: { 'X-Fault-Client': 'phone-1' } }));
    expect(whileDown.headers['x-fault-proxy']).toBe('target-down');
    expect(proxy.history()[0]).toMatchObject({ client: 'phone-1', attempt: 1, fault: kind, owed: false, applied: false });
    expect(proxy.stats().faults[kind]).toBe(0);
    expect(proxy.owing()).toEqual({ 'phone-1': [kind] });

    // the rates no longer draw it, the server is back: the client's next attempt gets what it is owed
    proxy.setFaults(NO_FAULTS);
    target = await startTarget(port);
    const again = await send(proxy.url, { body: 'second', headers: { 'X-Fault-Client': 'phone-1' } });
    expect(proxy.history()[1]).toMatchObject({ client: 'phone-1', attempt: 2, fault: kind, owed: true, applied: true });
    expect(proxy.stats().faults[kind]).toBe(1);
    expect(proxy.owing()).toEqual({});
    if (kind === 'duplicate') {
      expect(answered(again).body.toString()).toBe('second');
      expect(target.seen.map((seen) => seen.body.toString())).toEqual(['second', 'second']);
    } else {
      expect(again).toEqual({ error: { code: 'ECONNRESET', message: 'read ECONNRESET' } });
      expect(target.answered).toBe(1);
    }
    // paid: the third attempt passes
    expect(answered(await send(proxy.url, { body: 'third', headers: { 'X-Fault-Client': 'phone-1' } })).status).toBe(201);
    expect(proxy.history()[2]).toMatchObject({ attempt: 3, fault: 'none', owed: false, applied: null });
  });

  it('an owed fault the server swallowed comes again at the next attempt, and the run still ends having applied every kind', async () => {
    const port = target.port;
    await target.close();
    const proxy = await proxyFor({}, { owed: FAULT_KINDS, dropAfterMs: 0, seed: 9 });
    // while the server is down, the kinds that need it (resetAfterResponse, duplicate) cannot take effect
    for (let i = 0; i < 12; i += 1) await send(proxy.url, { body: 'down', headers: { 'X-Fault-Client': 'phone-1' } });
    // the owed kinds that need no server were applied in turn until resetAfterResponse came up; it then stays at
    // the head of what is owed for as long as the server is down, the rest (duplicate last) waiting behind it
    const decisions = proxy.history();
    const firstMiss = decisions.findIndex((decision) => decision.applied === false);
    expect(firstMiss).toBeGreaterThanOrEqual(0);
    expect(decisions.slice(0, firstMiss).every((decision) => decision.owed && decision.applied === true)).toBe(true);
    expect(decisions.slice(firstMiss).every((decision) => decision.fault === 'resetAfterResponse' && decision.owed && decision.applied === false)).toBe(true);
    const stillOwed = proxy.owing()['phone-1']!;
    expect(stillOwed).toHaveLength(FAULT_KINDS.length - firstMiss);
    expect(stillOwed[0]).toBe('resetAfterResponse');
    expect(stillOwed.at(-1)).toBe('duplicate');
    expect(proxy.stats().faults).toMatchObject({ resetAfterResponse: 0, duplicate: 0 });

    target = await startTarget(port);
    await sendUntilAnswered(proxy, 'phone-1', 'up');
    for (const kind of FAULT_KINDS) expect(proxy.stats().faults[kind], kind).toBeGreaterThan(0);
    expect(proxy.owing()).toEqual({});
  });

  it('one seed replays the same decisions per client and attempt, however the clients\' requests interleave', async () => {
    const rates: Partial<FaultRates> = {
      drop: 0.1, resetBeforeForward: 0.1, resetAfterResponse: 0.1, status500: 0.1, status502: 0.1, status503: 0.1, duplicate: 0.1, delayRate: 0.3, delayMs: [0, 3],
    };
    async function run(seed: number, order: readonly string[]): Promise<FaultProxy> {
      const proxy = await proxyFor(rates, { seed, owed: FAULT_KINDS, dropAfterMs: 0 });
      for (const [i, client] of order.entries()) await send(proxy.url, { path: `/api/v1/forms?i=${i}`, body: String(i), headers: { 'X-Fault-Client': client } });
      return proxy;
    }
    const oneThenOther = [...Array<string>(25).fill('phone-1'), ...Array<string>(25).fill('phone-2')];
    const alternating = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 'phone-2' : 'phone-1'));
    const first = await run(31, oneThenOther);
    const interleaved = await run(31, alternating);
    const otherSeed = await run(32, oneThenOther);

    for (const client of ['phone-1', 'phone-2']) {
      expect(decisionsOf(first, client)).toHaveLength(25);
      expect(decisionsOf(interleaved, client)).toEqual(decisionsOf(first, client));
      expect(decisionsOf(otherSeed, client)).not.toEqual(decisionsOf(first, client));
    }
    // each client has its own stream, and both start with what they are owed
    expect(decisionsOf(first, 'phone-2')).not.toEqual(decisionsOf(first, 'phone-1'));
    const owedFirst = (proxy: FaultProxy, client: string) => decisionsOf(proxy, client).slice(0, FAULT_KINDS.length);
    expect(owedFirst(first, 'phone-1').every((decision) => decision.owed)).toBe(true);
    expect(owedFirst(first, 'phone-1').map((decision) => decision.fault).sort()).toEqual([...FAULT_KINDS].sort());
    expect(decisionsOf(first, 'phone-1').slice(FAULT_KINDS.length).some((decision) => decision.owed)).toBe(false);
  });

  it('clientOf names the client another way, e.g. by its token', async () => {
    const proxy = await proxyFor({ status503: 0.5 }, { seed: 3, clientOf: ({ headers }) => headers.authorization ?? 'nobody' });
    for (let i = 0; i < 4; i += 1) await send(proxy.url, { body: '{}', headers: { Authorization: i % 2 === 0 ? 'Bearer a' : 'Bearer b' } });
    await send(proxy.url, { body: '{}' });
    expect(proxy.history().map(({ client, attempt }) => [client, attempt])).toEqual([['Bearer a', 1], ['Bearer b', 1], ['Bearer a', 2], ['Bearer b', 2], ['nobody', 1]]);
  });
});

describe('refusals', () => {
  it.each(['10.0.0.1', '0.0.0.0', '127.0.0.2', '192.168.1.10', 'example.com', '::', 'constructor', '', undefined])('refuses the target host %s: loopback only', async (host) => {
    await expect(startFaultProxy({ target: { host: host as string, port: 8080 }, seed: 1 }))
      .rejects.toThrow(`fault proxy: target.host must be a loopback host (127.0.0.1, ::1 or localhost), got ${host === undefined ? 'undefined' : JSON.stringify(host)}`);
  });

  it('refuses to listen anywhere but on loopback', async () => {
    await expect(startFaultProxy({ target: { host: '127.0.0.1', port: 8080 }, seed: 1, listenHost: '0.0.0.0' }))
      .rejects.toThrow('fault proxy: listenHost must be a loopback host (127.0.0.1, ::1 or localhost), got "0.0.0.0"');
  });

  it('takes localhost as 127.0.0.1', async () => {
    const proxy = await startFaultProxy({ target: { host: 'localhost', port: target.port }, seed: 1, listenHost: 'localhost' });
    proxies.push(proxy);
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(answered(await send(proxy.url, { body: 'ok' })).body.toString()).toBe('ok');
  });

  it.each([0, 65536, 80.5, '80', undefined])('refuses the target port %s', async (port) => {
    await expect(startFaultProxy({ target: { host: '127.0.0.1', port: port as number }, seed: 1 }))
      .rejects.toThrow(`fault proxy: target.port must be an integer from 1 to 65535, got ${typeof port === 'string' ? JSON.stringify(port) : String(port)}`);
  });

  it.each([
    [{ drop: 1.5 }, 'faults.drop must be a number from 0 to 1, got 1.5'],
    [{ duplicate: -0.1 }, 'faults.duplicate must be a number from 0 to 1, got -0.1'],
    [{ delayRate: Number.NaN }, 'faults.delayRate must be a number from 0 to 1, got NaN'],
    [{ status500: 0.6, status502: 0.6 }, 'add up to 1.2; they exclude one another, so at most 1'],
    [{ delayMs: [5, 1] }, 'faults.delayMs must be [min, max], whole milliseconds with 0 ≤ min ≤ max, got [5,1]'],
    [{ delayMs: [-1, 3] }, 'got [-1,3]'],
    [{ delayMs: [1.5, 3] }, 'got [1.5,3]'],
    [{ delayMs: 10 }, 'got 10'],
    [{ dorp: 0.1 }, 'unknown fault "dorp"; the faults are drop, resetBeforeForward'],
    [JSON.parse('{"toString": 0}') as object, 'unknown fault "toString"'],
  ])('refuses the faults %j, saying which and why', async (faults, message) => {
    await expect(startFaultProxy({ target: { host: '127.0.0.1', port: 8080 }, seed: 1, faults: faults as Partial<FaultRates> })).rejects.toThrow(message);
  });

  it.each([
    [{ dropAfterMs: -1 }, 'fault proxy: dropAfterMs must be a whole number ≥ 0, got -1'],
    [{ maxBodyBytes: 1.5 }, 'fault proxy: maxBodyBytes must be a whole number ≥ 0, got 1.5'],
    [{ seed: 0.5 }, 'seededRandom: the seed must be a safe integer, got 0.5'],
    [{ owed: ['drop', 'dorp'] }, 'fault proxy: owed must be a list of fault kinds (drop, resetBeforeForward, resetAfterResponse, status500, status502, status503, duplicate), got ["drop","dorp"]'],
    [{ owed: 'drop' }, 'fault proxy: owed must be a list of fault kinds (drop, resetBeforeForward, resetAfterResponse, status500, status502, status503, duplicate), got "drop"'],
  ])('refuses the option %j', async (option, message) => {
    await expect(startFaultProxy({ target: { host: '127.0.0.1', port: 8080 }, seed: 1, ...(option as Partial<FaultProxyOptions>) })).rejects.toThrow(message);
  });
});

describe('close()', () => {
  it('cancels held requests, cuts every connection and leaves no handle open', async () => {
    await onlyTheTargetIsOpen();
    const timers = manualTimers();
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: target.port }, seed: 1, faults: { delayRate: 1, delayMs: [50, 50] }, setTimer: timers.setTimer });
    const held = send(proxy.url, { body: 'held' });
    const alsoHeld = send(proxy.url, { body: 'held too' });
    await vi.waitFor(() => expect(timers.pending).toHaveLength(2), EVENTUALLY);
    expect(tcpHandles()).toBeGreaterThan(1);

    await proxy.close();
    expect(timers.pending).toHaveLength(0);
    expect(await held).toEqual({ error: { code: 'ECONNRESET', message: 'socket hang up' } });
    expect(await alsoHeld).toEqual({ error: { code: 'ECONNRESET', message: 'socket hang up' } });
    expect(target.seen).toHaveLength(0);
    expect(await send(proxy.url)).toMatchObject({ error: { code: 'ECONNREFUSED' } });
    await onlyTheTargetIsOpen();
    await expect(proxy.close()).resolves.toBeUndefined();
  });

  it('cuts a request waiting on the server and the connection to the server', async () => {
    await onlyTheTargetIsOpen();
    const proxy = await proxyFor({});
    target.respond = () => undefined;
    const pending = send(proxy.url, { body: 'never answered' });
    await vi.waitFor(() => expect(target.seen).toHaveLength(1), EVENTUALLY);
    await proxy.close();
    expect(await pending).toEqual({ error: { code: 'ECONNRESET', message: 'socket hang up' } });
    // the proxy's listening socket, its client connection and its connection to the server are all gone
    await onlyTheTargetIsOpen();
  });
});

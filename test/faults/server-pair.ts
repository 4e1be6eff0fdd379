// Two server processes over one PostgreSQL database behind a round-robin balancer, the way the back
// office runs when one process is not enough: each connection goes to the next process in turn (the
// fault proxy opens one per request, so the requests alternate), and to the other one when that one is
// down, as a load balancer's health check would. A kill is armed on both processes at once and fired by
// whichever lands the next batch first, so every kill comes mid-batch by construction while the other
// process goes on serving; a restart brings the killed one back on its port.
import net from 'node:net';
import type { KillMoment, StoreTally } from './killable-server';
import { startServerProcess, type ServerProcess, type ServerProcessOptions } from './server-process';
import { seededRandom, type Random } from './seeded-random';

export interface ServerPair extends ServerProcess {
  /** how many times each process was killed */
  killsPerProcess(): [number, number];
  /** how many connections the balancer sent to each process */
  connectionsPerProcess(): [number, number];
}

interface Balancer {
  port: number;
  connections: [number, number];
  close(): Promise<void>;
}

/** A TCP round-robin balancer over two ports on 127.0.0.1; a backend that refuses is skipped for the other. */
async function startBalancer(ports: readonly [number, number]): Promise<Balancer> {
  const open = new Set<net.Socket>();
  const connections: [number, number] = [0, 0];
  let turn = 0;
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = net.createServer((client) => {
    track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const order: ReadonlyArray<0 | 1> = turn++ % 2 === 0 ? [0, 1] : [1, 0];
    const connect = (attempt: number): void => {
      if (client.destroyed) return;
      const backend = order[attempt];
      if (backend === undefined) return void client.destroy();
      const upstream = net.connect(ports[backend], '127.0.0.1');
      track(upstream);
      const refused = () => connect(attempt + 1);
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        connections[backend] += 1;
        upstream.on('error', () => client.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    connect(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startServerPair(options: ServerProcessOptions & { storage: { databaseUrl: string } }): Promise<ServerPair> {
  const second: Random = seededRandom(Math.floor(options.random() * 2 ** 31));
  const processes = [await startServerProcess(options), await startServerProcess({ ...options, random: second })] as const;
  const balancer = await startBalancer([processes[0].port, processes[1].port]);
  const killed: [number, number] = [0, 0];
  let down: 0 | 1 | null = null;

  const sum = (a: StoreTally, b: StoreTally): StoreTally => ({
    batches: a.batches + b.batches, accepted: a.accepted + b.accepted, duplicate: a.duplicate + b.duplicate, conflict: a.conflict + b.conflict,
  });

  /** Arms both; resolves with the one that died, once it is down, and disarms the other. */
  function killWhicheverLandsNext(): { killed: Promise<0 | 1>; disarm(): void } {
    if (down !== null) throw new Error(`server process ${down + 1} is still down: restart it first`);
    // the first batch to begin on either disarms the other at once, so one kill never takes both
    const arms: Array<{ killed: Promise<void>; disarm(): void }> = [];
    arms[0] = processes[0].armKill(() => arms[1]!.disarm());
    arms[1] = processes[1].armKill(() => arms[0]!.disarm());
    const first = Promise.race(arms.map((arm, i) => arm.killed.then(() => i as 0 | 1)));
    return {
      killed: first.then((i) => {
        killed[i] += 1;
        down = i;
        return i;
      }),
      disarm: () => arms.forEach((arm) => arm.disarm()),
    };
  }

  return {
    port: balancer.port,
    url: `http://127.0.0.1:${balancer.port}`,
    kills: () => killed[0] + killed[1],
    killsPerProcess: () => [...killed],
    connectionsPerProcess: () => [...balancer.connections],
    tally: () => sum(processes[0].tally(), processes[1].tally()),
    unexpectedExits: () => processes.flatMap((p, i) => p.unexpectedExits().map((exit) => `process ${i + 1}: ${exit}`)),
    running: () => down === null,
    armKill() {
      const arm = killWhicheverLandsNext();
      return { killed: arm.killed.then(() => undefined), disarm: arm.disarm };
    },
    killDuringNextBatch(waitMs) {
      const arm = killWhicheverLandsNext();
      // a bound for a broken run: no batch at all within it kills process 1 anyway, reported as idle
      let idle: NodeJS.Timeout | undefined;
      const bound = new Promise<KillMoment>((resolve) => {
        idle = setTimeout(() => {
          arm.disarm();
          processes[0].killDuringNextBatch(0).then(() => {
            killed[0] += 1;
            down = 0;
            resolve('idle');
          }, () => resolve('idle'));
        }, waitMs);
      });
      return Promise.race([arm.killed.then((): KillMoment => 'mid-batch'), bound]).finally(() => clearTimeout(idle));
    },
    async restart() {
      if (down === null) throw new Error('both server processes are running: kill one first');
      await processes[down].restart();
      down = null;
    },
    async close() {
      await balancer.close();
      await Promise.all(processes.map((p) => p.close()));
    },
  };
}

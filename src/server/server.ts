// A listening server around createApp, with a close() that stops taking requests, lets the ones in
// flight finish (a form is answered only after its commit), then lets go of the connections.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp, type AppOptions } from './app';

export interface ServerOptions extends AppOptions {
  /** 0 picks a free port */
  port: number;
  host?: string;
}

export interface RunningServer {
  app: Hono;
  url: string;
  port: number;
  /** stops listening and waits for the requests in flight (at most `graceMs`, then cuts them) */
  close(graceMs?: number): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<RunningServer> {
  const app = createApp(options);
  const host = options.host ?? '127.0.0.1';
  const { server, address } = await new Promise<{ server: Server; address: AddressInfo }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: host }, (info) => resolve({ server, address: info })) as Server;
    server.once('error', reject);
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    app,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: (graceMs = 10_000) => new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    }),
  };
}

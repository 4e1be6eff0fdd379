// The HTTP application: the API, the back office's endpoints and the built PWA, behind security
// headers and a request log. No socket here: tests drive it with app.request(), main.ts serves it.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { API_LIMITS } from '../domain/api';
import { requireAdmin } from './auth/middleware';
import { RateLimiter, type RateLimitOptions } from './auth/rate-limit';
import type { ChecklistRegistry } from '../domain/checklist-registry';
import { HttpError } from './http/errors';
import { requestLog, securityHeaders } from './http/security';
import { serveDist } from './http/static';
import { dispatchRoutes } from './routes/admin-dispatch';
import { formsRoutes } from './routes/admin-forms';
import { insightsRoutes } from './routes/admin-insights';
import { transferRoutes } from './routes/admin-transfer';
import type { RouteDeps, ServerLimits } from './routes/deps';
import { phoneRoutes } from './routes/phone';
import type { Storage } from './storage/storage';

export interface AppOptions {
  storage: Storage;
  checklists: ChecklistRegistry;
  /** server time; tests pass a fixed clock */
  clock?: () => Date;
  /** the Vite build to serve; null serves no pages (API only) */
  distDir?: string | null;
  /** one line per request (method, path, status, duration) and per server error */
  log?: (line: string) => void;
  /** enrollment attempts per client address (default 10 per 10 minutes) */
  enrollRateLimit?: RateLimitOptions;
  limits?: Partial<ServerLimits>;
  /** the client's address for rate limiting; by default the socket's peer (no proxy header is trusted) */
  clientAddress?: (c: Context) => string;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: API_LIMITS.maxBodyBytes,
  maxBatch: API_LIMITS.maxBatch,
  importMaxBytes: 64 * 1024 * 1024,
};

function socketAddress(c: Context): string {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function createApp(options: AppOptions): Hono {
  const now = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(line));
  const deps: RouteDeps = {
    storage: options.storage,
    checklists: options.checklists,
    now,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    enrollLimiter: new RateLimiter(options.enrollRateLimit ?? { max: 10, windowMs: 10 * 60_000 }, () => now().getTime()),
    clientAddress: options.clientAddress ?? socketAddress,
  };

  const app = new Hono();
  app.use('*', requestLog(log));
  app.use('*', securityHeaders());
  // the API's answers gzip-compressed for a client that accepts it (the pages are precompressed: static.ts)
  app.use('/api/*', compress({ encoding: 'gzip' }));
  app.use('/api/*', async (c, next) => {
    await next();
    // answers hold tokens and customers' details: never cached by a browser or a proxy
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use('/api/v1/admin/*', requireAdmin(options.storage));

  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(error.toBody(), error.status, error.headers);
    // name and message only: a driver's message names columns, never the values of a request
    log(`error ${c.req.method} ${c.req.path}: ${error.name}: ${error.message.slice(0, 300)}`);
    return c.json({ error: { code: 'internal', message: 'the server could not complete this request; nothing was lost, try again' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no ${c.req.method} ${c.req.path.slice(0, 200)} here` } }, 404));

  app.route('/', phoneRoutes(deps));
  app.route('/', dispatchRoutes(deps));
  app.route('/', formsRoutes(deps));
  app.route('/', insightsRoutes(deps));
  app.route('/', transferRoutes(deps));

  if (options.distDir) {
    const pages = serveDist(options.distDir);
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : pages(c)));
  }
  return app;
}

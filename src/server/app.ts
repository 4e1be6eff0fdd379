// The HTTP application: the API, the back office's endpoints and the built PWA, behind security
// headers and a request log. No socket here: tests drive it with app.request(), main.ts serves it.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { API_LIMITS } from '../domain/api';
import { DEFAULT_SESSION_POLICY, requireBackOffice, type SessionPolicy } from './auth/back-office';
import { DEFAULT_SCRYPT, type ScryptParams } from './auth/passwords';
import type { RateLimitOptions } from './auth/rate-limit';
import { requireRole } from './auth/route-roles';
import type { ChecklistRegistry } from '../domain/checklist-registry';
import { HttpError } from './http/errors';
import { requestLog, securityHeaders } from './http/security';
import { serveDist } from './http/static';
import { auditRoutes } from './routes/admin-audit';
import { dispatchRoutes } from './routes/admin-dispatch';
import { disputesRoutes } from './routes/admin-disputes';
import { formsRoutes } from './routes/admin-forms';
import { insightsRoutes } from './routes/admin-insights';
import { partsRoutes } from './routes/admin-parts';
import { transferRoutes } from './routes/admin-transfer';
import { usersRoutes } from './routes/admin-users';
import type { RouteDeps, ServerLimits } from './routes/deps';
import { phoneRoutes } from './routes/phone';
import { publicVerifyRoutes } from './routes/public-verify';
import { sessionRoutes } from './routes/session';
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
  /** public verify checks per client address (default 60 per 10 minutes: a carrier's NAT puts many phones behind one) */
  verifyRateLimit?: RateLimitOptions;
  limits?: Partial<ServerLimits>;
  /** the client's address for rate limiting and the audit log; by default the socket's peer (no proxy header is trusted) */
  clientAddress?: (c: Context) => string;
  /** session lifetimes, sign-in lockout and rate limit */
  sessions?: Partial<SessionPolicy>;
  /** scrypt parameters for new password hashes (tests use cheaper ones) */
  passwordHashing?: ScryptParams;
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
    enrollRateLimit: options.enrollRateLimit ?? { max: 10, windowMs: 10 * 60_000 },
    verifyRateLimit: options.verifyRateLimit ?? { max: 60, windowMs: 10 * 60_000 },
    clientAddress: options.clientAddress ?? socketAddress,
    sessions: { ...DEFAULT_SESSION_POLICY, ...options.sessions },
    scrypt: options.passwordHashing ?? DEFAULT_SCRYPT,
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
  app.use('/api/v1/admin/*', requireBackOffice(options.storage, deps.sessions, now), requireRole());

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
  app.route('/', disputesRoutes(deps));
  app.route('/', insightsRoutes(deps));
  app.route('/', partsRoutes(deps));
  app.route('/', transferRoutes(deps));
  app.route('/', sessionRoutes(deps));
  app.route('/', usersRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', publicVerifyRoutes(deps));

  if (options.distDir) {
    const pages = serveDist(options.distDir);
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : pages(c)));
  }
  return app;
}

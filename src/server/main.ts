// npm start: the one server for the PWA, the back office and the API. SQLite under data/ by default,
// PostgreSQL when DATABASE_URL is set. `--demo` adds a demo technician and today's visits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdminToken } from './auth/admin-token';
import { loadChecklists, PublishedChecklistsError } from './checklists';
import { configFromEnv } from './config';
import { seedDemo } from './demo';
import { createServer } from './server';
import { describeStorage, openStorage } from './storage/open';

const demo = process.argv.includes('--demo');
const config = configFromEnv();
const checklists = (() => {
  try {
    return loadChecklists(config.checklistsDir);
  } catch (error) {
    // a changed or unpublished checklist file: say which, and do not start
    if (!(error instanceof PublishedChecklistsError)) throw error;
    console.error(`Onsite did not start: ${error.message}`);
    process.exit(1);
  }
})();
const storage = await openStorage(config);
const adminToken = await ensureAdminToken(storage, new Date());
const seed = demo ? await seedDemo(storage, new Date()) : null;
const server = await createServer({ storage, checklists, distDir: config.distDir, port: config.port, host: config.host });

const lines = [
  '',
  `Onsite (上门服务助手) is running at ${server.url}`,
  `  technician app: ${server.url}/      back office: ${server.url}/backoffice/`,
  `  storage: ${describeStorage(config)}`,
];
if (!existsSync(join(config.distDir, 'index.html'))) lines.push('  the pages are not built: run `npm run build` (npm start does it first)');
if (adminToken) {
  lines.push('', 'Admin token (shown once; `npm run admin:token` makes a new one); it only creates the first admin user:', '', `  ${adminToken}`);
} else {
  lines.push('  admin token: set on an earlier start; lost it? `npm run admin:token` prints a new one');
}
if ((await storage.countActiveAdmins()) === 0) {
  lines.push('', 'No back-office admin yet. Create the first one (it asks for the password):',
    '  npm run user:create -- --name NAME --role admin',
    `or with the admin token: POST ${server.url}/api/v1/admin/users {"name", "displayName", "role": "admin", "password"}`,
    `  (Authorization: Bearer <admin token>). Then sign in at ${server.url}/backoffice/ and add the team on the Users page.`);
}
if (seed) {
  lines.push('', `Demo: technician "${seed.technician.name}" with ${seed.visits.length} new visit(s) for today.`,
    `  On the phone (or another browser tab) open ${server.url}/ and enter the enrollment code: ${seed.code}`,
    `  (valid until ${seed.expiresAt}, once)`);
  if (seed.admin) {
    lines.push(`  Back office: sign in at ${server.url}/backoffice/ as "${seed.admin.name}" with the password ${seed.admin.password}`,
      '  (made now and shown once; change it on the Users page)');
  }
} else {
  lines.push('', 'To enroll a first technician: open the back office, add a technician, make an enrollment code,',
    `and enter that code in the app at ${server.url}/ on the technician's phone. (\`npm run demo\` sets up a demo technician.)`);
}
console.log(lines.join('\n'), '\n');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing the requests in flight, then stopping`);
  await server.close();
  await storage.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

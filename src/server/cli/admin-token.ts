// npm run admin:token — replaces the back office's admin token and prints the new one (once).
// The old token stops working at once, in a running server too (it is checked on every request).
import { rotateAdminToken } from '../auth/admin-token';
import { configFromEnv } from '../config';
import { describeStorage, openStorage } from '../storage/open';

const config = configFromEnv();
const storage = await openStorage(config);
try {
  const token = await rotateAdminToken(storage, new Date());
  console.log(`New admin token for ${describeStorage(config)} (the old one no longer works):\n\n  ${token}\n\nKeep it safe: it is shown only now.`);
} finally {
  await storage.close();
}

// npm run import -- FILE…   (device bundles *.json, or NDJSON exports *.ndjson / *.jsonl)
// Uses the same database as the server: DATABASE_URL, or SQLite at data/onsite.sqlite (SQLITE_PATH).
import { loadChecklists } from '../checklists';
import { configFromEnv } from '../config';
import { importFiles } from '../import/import-files';
import { openStorage } from '../storage/open';

const files = process.argv.slice(2).filter((arg) => arg !== '--');
if (files.length === 0 || files.includes('--help') || files.includes('-h')) {
  console.error('usage: npm run import -- FILE…   (device bundles .json, NDJSON exports .ndjson)');
  process.exit(files.length === 0 ? 2 : 0);
}

const config = configFromEnv();
const storage = await openStorage(config);
try {
  process.exitCode = await importFiles(files, { storage, checklists: loadChecklists(config.checklistsDir), now: () => new Date() }, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} catch (error) {
  console.error(`import stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await storage.close();
}

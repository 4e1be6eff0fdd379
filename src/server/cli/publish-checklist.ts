// npm run checklist:publish -- FILE [--dir DIR]
// Validates a new checklist version, puts it at checklists/<id>/v<version>.json and adds it to
// checklists/lock.json. A version already published is refused: a changed rule is a new version.
import { relative } from 'node:path';
import { ChecklistError } from '../../domain/checklist';
import { PublishedChecklistsError } from '../checklists';
import { publishChecklist, PublishRefusedError } from '../checklists-publish';
import { configFromEnv } from '../config';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const dirAt = args.indexOf('--dir');
const dir = dirAt === -1 ? configFromEnv().checklistsDir : args[dirAt + 1];
const files = args.filter((_, i) => dirAt === -1 || (i !== dirAt && i !== dirAt + 1));
if (files.length !== 1 || dir === undefined || files[0]!.startsWith('-')) {
  console.error('usage: npm run checklist:publish -- FILE [--dir CHECKLISTS_DIR]');
  process.exit(2);
}

try {
  const { entry, target } = publishChecklist(dir, files[0]!);
  console.log(`published ${entry.id} v${entry.version} at ${relative(process.cwd(), target)} (sha256 ${entry.sha256})`);
} catch (error) {
  if (error instanceof PublishRefusedError || error instanceof ChecklistError || error instanceof PublishedChecklistsError) {
    console.error(`not published: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

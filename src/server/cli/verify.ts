// npm run verify -- [--require-device-signature] FILE…   (device bundles *.json, NDJSON exports *.ndjson / *.jsonl)
// Offline: needs no database, only the file (the public keys of the device signatures travel with it).
import { verifyFiles } from '../verify/verify-files';

const USAGE = 'usage: npm run verify -- [--require-device-signature] FILE…   (device bundles .json, NDJSON exports .ndjson)';
const words = process.argv.slice(2).filter((arg) => arg !== '--');
const requireDeviceSignature = words.includes('--require-device-signature');
const files = words.filter((arg) => arg !== '--require-device-signature');
const unknown = files.find((arg) => arg.startsWith('-') && arg !== '--help' && arg !== '-h');
if (files.length === 0 || files.includes('--help') || files.includes('-h') || unknown) {
  console.error(unknown ? `unknown option ${unknown}\n${USAGE}` : USAGE);
  process.exit(files.length === 0 || unknown ? 2 : 0);
}

try {
  process.exitCode = await verifyFiles(files, { out: (line) => console.log(line), err: (line) => console.error(line) }, { requireDeviceSignature });
} catch (error) {
  console.error(`verify stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

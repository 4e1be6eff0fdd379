// npm run user:create -- --name NAME --role admin — makes a back-office user in the server's database
// (DATABASE_URL, or SQLite at data/onsite.sqlite). The password comes from standard input.
import { createInterface } from 'node:readline';
import { createUserFromCli, parseUserCreateArgs, USER_CREATE_USAGE } from '../auth/user-cli';
import { configFromEnv } from '../config';
import { describeStorage, openStorage } from '../storage/open';

const args = parseUserCreateArgs(process.argv.slice(2));
if ('error' in args) {
  console.error(`${args.error}\n${USER_CREATE_USAGE}`);
  process.exit(2);
}

/** One line from stdin; on a terminal, asked for and not echoed. */
function readPassword(): Promise<string> {
  return new Promise((resolve) => {
    const terminal = process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, output: terminal ? process.stdout : undefined, terminal });
    if (terminal) {
      process.stdout.write('Password (not shown): ');
      // readline echoes through _writeToOutput; write nothing while the password is typed
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (terminal) process.stdout.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

const config = configFromEnv();
const password = await readPassword();
const storage = await openStorage(config);
try {
  const user = await createUserFromCli(storage, args, password, new Date());
  console.log(`Created ${user.role} "${user.name}" (${user.id}) in ${describeStorage(config)}. Sign in at /backoffice/.`);
} catch (error) {
  console.error(`could not create the user: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await storage.close();
}

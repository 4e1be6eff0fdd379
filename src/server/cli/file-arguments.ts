// The arguments of the backup and restore commands: one FILE and an optional --force.
export type FileArguments = { file: string; force: boolean } | { exit: number };

/** Parses them; on a usage error or --help prints the usage and answers the exit code (2 or 0). */
export function parseFileArguments(argv: readonly string[], usage: string, err: (line: string) => void = console.error): FileArguments {
  const words = argv.filter((arg) => arg !== '--');
  if (words.includes('--help') || words.includes('-h')) {
    err(usage);
    return { exit: 0 };
  }
  const force = words.includes('--force');
  const rest = words.filter((arg) => arg !== '--force');
  const unknown = rest.filter((arg) => arg.startsWith('-'));
  if (unknown.length > 0 || rest.length !== 1) {
    err(unknown.length > 0 ? `unknown option ${unknown[0]}\n${usage}` : usage);
    return { exit: 2 };
  }
  return { file: rest[0]!, force };
}

// A backup or restore that cannot go on: the message says what is wrong, with which file, and what to do.
// The CLI prints it and exits 1; anything else reaching the CLI is a defect, reported as such.
export class BackupError extends Error {
  override name = 'BackupError';
}

/** The errno code of a Node file-system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file-system failure said in words, naming the path. */
export function fileProblem(error: unknown, path: string, doing: string): BackupError {
  const code = errnoCode(error);
  const why =
    code === 'ENOENT' ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM' ? 'no permission (check who owns it, or run as the user the server runs as)'
        : code === 'EROFS' ? 'the file system is read-only'
          : code === 'ENOSPC' ? 'the disk is full'
            : code === 'EISDIR' ? 'it is a folder, not a file'
              : code === 'ENOTDIR' ? 'a part of the path is a file, not a folder'
                : error instanceof Error ? error.message : String(error);
  return new BackupError(`cannot ${doing} ${path}: ${why}`);
}

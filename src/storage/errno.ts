/** Whether a file system call failed with one of these codes (ENOENT, EEXIST, ...). */
export function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? "");
}

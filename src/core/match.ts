/** `--match` patterns: `owner`, `owner/*`, `owner/repo` or `owner/repo.git`. */
const PATTERN = /^[A-Za-z0-9_.-]+(\/(\*|[A-Za-z0-9_.-]+))?$/;

export function isValidMatchPattern(pattern: string): boolean {
  return PATTERN.test(pattern) && !pattern.startsWith(".");
}

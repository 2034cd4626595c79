import { fingerprint } from "../core/token-format.js";

// ghs_ tokens may also be JWT-style, with dots and dashes (token-format.ts).
const TOKEN_LIKE = /\b(?:(?:github_pat_|gh[pour]_)[A-Za-z0-9_]{16,}|ghs_[A-Za-z0-9._-]{16,})/g;

/**
 * Defence in depth for anything shown to people: replaces every known secret
 * and anything shaped like a GitHub token with its fingerprint.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(fingerprint(secret));
  }
  return out.replace(TOKEN_LIKE, (match) => fingerprint(match));
}

/** Secrets this process has handled; the error printer scrubs them from every message. */
export const handledSecrets = new Set<string>();

import { fingerprint, TOKEN_IN_TEXT } from "../core/token-format.js";

const TOKEN_LIKE = new RegExp(String.raw`\b(?:${TOKEN_IN_TEXT})`, "g");

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

import { randomBytes } from "node:crypto";
import { checksumOf } from "../../src/core/token-format.js";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

/** A distinct, well-formed token (valid checksum) to hunt for in every output. */
export function canaryToken(prefix: "ghp_" | "gho_" | "ghu_" | "ghr_" = "ghp_"): string {
  const body = randomAlphanumeric(30);
  return `${prefix}${body}${checksumOf(body)}`;
}

export function canaryFineGrained(): string {
  return `github_pat_${randomAlphanumeric(22)}_${randomAlphanumeric(59)}`;
}

/** An installation token in GitHub's stateless JWT-style format: ghs_, then header.payload.signature in base64url (dots, dashes). */
export function canaryInstallationJwt(): string {
  const base64url = (length: number) => randomBytes(length).toString("base64url");
  return `ghs_${base64url(27)}.${base64url(300)}.${base64url(128)}-${randomAlphanumeric(4)}`;
}

import { NetworkError } from "../errors.js";
import { apiTimeoutMs, type Env } from "../config.js";
import { classifyApiError } from "./api-errors.js";
import { createClient } from "./client.js";

/** The credential revocation API exists on github.com only. */
export const REVOCATION_HOST = "github.com";

/**
 * `POST /credentials/revoke` with `{"credentials":[token]}`. The call is
 * unauthenticated (GitHub answers 403 to an authenticated one), so the client
 * is made without a token and sends no Authorization header. Resolves only
 * on 202 Accepted; anything else throws and nothing should be changed.
 */
export async function revokeCredential(
  token: string,
  options: { timeoutMs?: number | undefined; env?: Env | undefined } = {},
): Promise<void> {
  const timeoutMs = apiTimeoutMs(options.timeoutMs, options.env);
  const octokit = createClient({ host: REVOCATION_HOST, timeoutMs, env: options.env });
  let status: number;
  try {
    ({ status } = await octokit.request("POST /credentials/revoke", { credentials: [token] }));
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 422) {
      throw new NetworkError(
        "GitHub refused the revocation request (422 Validation failed).",
        "GitHub may be limiting revocation requests; try again later, or revoke the token in your settings.",
      );
    }
    const classified = classifyApiError(error, { host: REVOCATION_HOST, timeoutMs });
    // Whatever went wrong, the token was not revoked: that is an API failure here, never a verdict on the token.
    throw classified instanceof NetworkError
      ? classified
      : new NetworkError(
          `GitHub answered ${String(status)} to the revocation request.`,
          "Try again later, or revoke the token in your settings.",
        );
  }
  if (status !== 202) {
    throw new NetworkError(
      `GitHub answered ${status} to the revocation request instead of 202 Accepted.`,
      "Check GHPAT_API_URL and any proxy in between.",
    );
  }
}

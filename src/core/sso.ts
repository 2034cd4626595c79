import type { TokenRecord } from "./record.js";
import { settingsUrl } from "./settings-url.js";

/**
 * What to tell the user after a rotation about SAML SSO, or null when SSO
 * never came up. GitHub drops a classic token's SSO authorisation when it is
 * edited or regenerated, and a new token starts without one, so a token an
 * organisation asked to authorise needs it again. The URL GitHub names for
 * the successor comes first; the one it named for the old token is the next
 * best; the tokens page (Configure SSO) always works.
 */
export function ssoReminderAfterRotate(
  previous: Pick<TokenRecord, "name" | "host" | "type" | "sso">,
  successorSsoUrl: string | null,
): string | null {
  if (previous.sso === undefined && successorSsoUrl === null) return null;
  const url = successorSsoUrl ?? previous.sso?.url ?? null;
  const page = settingsUrl(previous);
  const where = url === null ? `under ${page} (Configure SSO)` : `at ${url} (or under ${page}, Configure SSO)`;
  return `'${previous.name}' was authorised for an organisation's SAML SSO, which a regenerated or new token loses: authorise it again ${where}.`;
}

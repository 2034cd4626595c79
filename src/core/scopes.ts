/**
 * GitHub's OAuth scope hierarchy for classic tokens: `X-OAuth-Scopes` lists
 * only the parent a user ticked (a token with `admin:org` reports
 * `admin:org`, never `read:org`), so requirements are checked against the
 * closure. Source: docs.github.com, "Scopes for OAuth apps", and the
 * classic token form. Where unsure a scope is left uncovered: a false
 * "missing" is a nuisance, a false "covered" lets a CI job run with a token
 * that then fails.
 */
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
  "write:packages": ["read:packages"],
  "admin:org": ["write:org", "manage_runners:org"],
  "write:org": ["read:org"],
  "admin:public_key": ["write:public_key"],
  "write:public_key": ["read:public_key"],
  "admin:repo_hook": ["write:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  user: ["read:user", "user:email", "user:follow"],
  "write:discussion": ["read:discussion"],
  "admin:enterprise": ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise", "scim:enterprise"],
  audit_log: ["read:audit_log"],
  codespace: ["codespace:secrets"],
  copilot: ["manage_billing:copilot"],
  "write:network_configurations": ["read:network_configurations"],
  project: ["read:project"],
  "admin:gpg_key": ["write:gpg_key"],
  "write:gpg_key": ["read:gpg_key"],
  "admin:ssh_signing_key": ["write:ssh_signing_key"],
  "write:ssh_signing_key": ["read:ssh_signing_key"],
};

/** Scopes GitHub documents that cover nothing else. */
const LEAVES = ["workflow", "delete:packages", "admin:org_hook", "gist", "notifications", "delete_repo", "site_admin"];

const KNOWN = new Set<string>([...Object.keys(CHILDREN), ...Object.values(CHILDREN).flat(), ...LEAVES]);

export function isKnownScope(scope: string): boolean {
  return KNOWN.has(scope);
}

/** Every scope the granted ones confer, themselves included. */
export function expandScopes(granted: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const pending = [...granted];
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (out.has(scope)) continue;
    out.add(scope);
    pending.push(...(CHILDREN[scope] ?? []));
  }
  return out;
}

/** The required scopes that `granted` does not cover, in the order required. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const have = expandScopes(granted);
  return required.filter((scope) => !have.has(scope));
}

/** `--require-scopes "repo, read:org"` → ["repo", "read:org"]: comma or space separated, lower-cased, deduplicated. */
export function parseScopeList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\s,]+/)
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== ""),
    ),
  ];
}

/**
 * Which classic OAuth scopes a scope implies (GitHub's "Scopes for OAuth
 * apps"): a token with `repo` can do what one with `public_repo` can.
 */
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
  "admin:repo_hook": ["write:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  "admin:org": ["write:org", "manage_runners:org"],
  "write:org": ["read:org"],
  "admin:public_key": ["write:public_key"],
  "write:public_key": ["read:public_key"],
  "admin:gpg_key": ["write:gpg_key"],
  "write:gpg_key": ["read:gpg_key"],
  "admin:ssh_signing_key": ["write:ssh_signing_key"],
  "write:ssh_signing_key": ["read:ssh_signing_key"],
  user: ["read:user", "user:email", "user:follow"],
  project: ["read:project"],
  "write:packages": ["read:packages"],
  "write:discussion": ["read:discussion"],
  codespace: ["codespace:secrets"],
  "admin:enterprise": ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise", "scim:enterprise"],
  audit_log: ["read:audit_log"],
  copilot: ["manage_billing:copilot"],
};

/** A set of scopes with everything they imply. */
export function expandScopes(scopes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const pending = [...scopes];
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (out.has(scope)) continue;
    out.add(scope);
    pending.push(...(IMPLIES[scope] ?? []));
  }
  return out;
}

/** The scopes of `old` that `replacement` does not grant, directly or through a parent scope. */
export function missingScopes(old: readonly string[], replacement: readonly string[]): string[] {
  const granted = expandScopes(replacement);
  return old.filter((scope) => !granted.has(scope));
}

export function covers(old: readonly string[], replacement: readonly string[]): boolean {
  return missingScopes(old, replacement).length === 0;
}

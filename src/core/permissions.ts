/**
 * GitHub's fine-grained token permissions: the name each one has as a
 * parameter of the creation page (`/settings/personal-access-tokens/new`),
 * the group it belongs to, and the access levels it allows. Source:
 * docs.github.com, "Managing your personal access tokens", the table of
 * query parameters for pre-filling a fine-grained token. `write` includes
 * `read` and `admin` includes `write`; a permission lists the levels the
 * page offers for it.
 */
import { UsageError } from "../errors.js";

export const PERMISSION_LEVELS = ["read", "write", "admin"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export type PermissionGroup = "repository" | "organization" | "account";

/** Declared permissions: `{ contents: "write" }`. */
export type Permissions = Record<string, PermissionLevel>;

export interface PermissionInfo {
  name: string;
  /** What the creation page calls it. */
  label: string;
  group: PermissionGroup;
  levels: readonly PermissionLevel[];
}

const R = ["read"] as const;
const W = ["write"] as const;
const RW = ["read", "write"] as const;
const RWA = ["read", "write", "admin"] as const;

const TABLE: ReadonlyArray<
  readonly [name: string, label: string, group: PermissionGroup, levels: readonly PermissionLevel[]]
> = [
  // Repository permissions: for a user and an organisation as resource owner alike.
  ["actions", "Actions", "repository", RW],
  ["administration", "Administration", "repository", RW],
  ["artifact_metadata", "Artifact metadata", "repository", RW],
  ["attestations", "Attestations", "repository", RW],
  ["security_events", "Code scanning alerts", "repository", RW],
  ["codespaces", "Codespaces", "repository", RW],
  ["codespaces_lifecycle_admin", "Codespaces lifecycle admin", "repository", RW],
  ["codespaces_metadata", "Codespaces metadata", "repository", R],
  ["codespaces_secrets", "Codespaces secrets", "repository", W],
  ["statuses", "Commit statuses", "repository", RW],
  ["contents", "Contents", "repository", RW],
  ["repository_custom_properties", "Custom properties", "repository", RW],
  ["vulnerability_alerts", "Dependabot alerts", "repository", RW],
  ["dependabot_secrets", "Dependabot secrets", "repository", RW],
  ["deployments", "Deployments", "repository", RW],
  ["discussions", "Discussions", "repository", RW],
  ["environments", "Environments", "repository", RW],
  ["issues", "Issues", "repository", RW],
  ["merge_queues", "Merge queues", "repository", RW],
  ["metadata", "Metadata", "repository", R],
  ["pages", "Pages", "repository", RW],
  ["pull_requests", "Pull requests", "repository", RW],
  ["repository_advisories", "Repository security advisories", "repository", RW],
  ["secret_scanning_alerts", "Secret scanning alerts", "repository", RW],
  ["secrets", "Secrets", "repository", RW],
  ["actions_variables", "Variables", "repository", RW],
  ["repository_hooks", "Webhooks", "repository", RW],
  ["workflows", "Workflows", "repository", W],
  // Organisation permissions: only with an organisation as resource owner.
  ["organization_api_insights", "API insights", "organization", R],
  ["organization_administration", "Administration", "organization", RW],
  ["organization_user_blocking", "Blocking users", "organization", RW],
  ["organization_campaigns", "Campaigns", "organization", RW],
  ["organization_custom_org_roles", "Custom organization roles", "organization", RW],
  ["organization_custom_properties", "Custom repository properties", "organization", RWA],
  ["organization_custom_roles", "Custom repository roles", "organization", RW],
  ["organization_events", "Events", "organization", R],
  ["organization_copilot_seat_management", "GitHub Copilot Business", "organization", RW],
  ["issue_types", "Issue types", "organization", RW],
  ["organization_knowledge_bases", "Knowledge bases", "organization", RW],
  ["members", "Members", "organization", RW],
  ["organization_models", "Models", "organization", R],
  ["organization_network_configurations", "Network configurations", "organization", RW],
  ["organization_announcement_banners", "Organization announcement banners", "organization", RW],
  ["organization_codespaces", "Organization codespaces", "organization", RW],
  ["organization_codespaces_secrets", "Organization codespaces secrets", "organization", RW],
  ["organization_codespaces_settings", "Organization codespaces settings", "organization", RW],
  ["organization_dependabot_secrets", "Organization dependabot secrets", "organization", RW],
  ["organization_code_scanning_dismissal_requests", "Code scanning dismissal requests", "organization", RW],
  ["organization_private_registries", "Private registries", "organization", RW],
  ["organization_plan", "Plan", "organization", R],
  ["organization_projects", "Projects", "organization", RWA],
  ["organization_secrets", "Secrets", "organization", RW],
  ["organization_self_hosted_runners", "Self-hosted runners", "organization", RW],
  ["team_discussions", "Team discussions", "organization", RW],
  ["organization_actions_variables", "Variables", "organization", RW],
  ["organization_hooks", "Webhooks", "organization", RW],
  // Account permissions: only with the user as resource owner.
  ["blocking", "Block another user", "account", RW],
  ["codespaces_user_secrets", "Codespaces user secrets", "account", RW],
  ["copilot_messages", "Copilot Chat", "account", R],
  ["copilot_editor_context", "Copilot Editor Context", "account", R],
  ["copilot_requests", "Copilot requests", "account", W],
  ["emails", "Email addresses", "account", RW],
  ["user_events", "Events", "account", R],
  ["followers", "Followers", "account", RW],
  ["gpg_keys", "GPG keys", "account", RW],
  ["gists", "Gists", "account", W],
  ["keys", "Git SSH keys", "account", RW],
  ["interaction_limits", "Interaction limits", "account", RW],
  ["knowledge_bases", "Knowledge bases", "account", RW],
  ["user_models", "Models", "account", R],
  ["plan", "Plan", "account", R],
  ["private_repository_invitations", "Private repository invitations", "account", R],
  ["profile", "Profile", "account", W],
  ["git_signing_ssh_public_keys", "SSH signing keys", "account", RW],
  ["starring", "Starring", "account", RW],
  ["watching", "Watching", "account", RW],
];

export const PERMISSIONS: ReadonlyMap<string, PermissionInfo> = new Map(
  TABLE.map(([name, label, group, levels]) => [name, { name, label, group, levels }]),
);

export function isPermissionLevel(level: string): level is PermissionLevel {
  return (PERMISSION_LEVELS as readonly string[]).includes(level);
}

/** Optimal string alignment distance: a typo's swapped letters count once. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        ((d[i - 1] as number[])[j] as number) + 1,
        (row[j - 1] as number) + 1,
        ((d[i - 1] as number[])[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known word nearest to `word`, when near enough to be the one meant (or when `word` is part of it). */
export function closest(word: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance =
      candidate.includes(word) || word.includes(candidate)
        ? Math.abs(candidate.length - word.length) / 4
        : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function didYouMean(suggestion: string | null): string {
  return suggestion === null ? "" : `Did you mean '${suggestion}'? `;
}

/** `contents:write`, `pull-requests:read`, `Contents=write` → `["contents", "write"]`; a usage error (exit 2) names what is wrong and the nearest permission or level. */
export function parsePermission(text: string): [name: string, level: PermissionLevel] {
  const match = /^([A-Za-z_-]+)[:=]([A-Za-z]+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `'${text}' is not a permission: give NAME:LEVEL, e.g. contents:write.`,
      "The levels are read, write and admin; 'ghpat new --help' shows where to find the names.",
    );
  }
  const name = (match[1] as string).toLowerCase().replaceAll("-", "_");
  const level = (match[2] as string).toLowerCase();
  const info = PERMISSIONS.get(name);
  if (!info) {
    throw new UsageError(
      `'${name}' is not a fine-grained permission GitHub knows.`,
      `${didYouMean(closest(name, PERMISSIONS.keys()))}The names are those of GitHub's creation page parameters (contents, pull_requests, workflows, ...).`,
    );
  }
  if (!isPermissionLevel(level) || !info.levels.includes(level)) {
    const suggestion = isPermissionLevel(level) ? null : closest(level, info.levels);
    throw new UsageError(
      `'${name}' (${info.label}) cannot be '${level}': it allows ${info.levels.join(" or ")} only.`,
      `${didYouMean(suggestion === null ? null : `${name}:${suggestion}`)}Give ${info.levels.map((l) => `${name}:${l}`).join(" or ")}.`,
    );
  }
  return [name, level];
}

/** Every `--permission` value as one object, in the table's order; the same permission twice at two levels is an error. */
export function parsePermissions(values: readonly string[]): Permissions {
  const chosen = new Map<string, PermissionLevel>();
  for (const value of values) {
    const [name, level] = parsePermission(value);
    const earlier = chosen.get(name);
    if (earlier !== undefined && earlier !== level)
      throw new UsageError(
        `'${name}' is given twice, as ${earlier} and as ${level}.`,
        "Give each permission once, at the highest level it needs (write includes read).",
      );
    chosen.set(name, level);
  }
  const out: Permissions = {};
  for (const name of PERMISSIONS.keys()) {
    const level = chosen.get(name);
    if (level !== undefined) out[name] = level;
  }
  return out;
}

/** The permissions that do not fit the resource owner: organisation ones need an organisation, account ones the user. Warnings, not errors: ghpat cannot tell a user from an organisation offline. */
export function groupsOf(permissions: Readonly<Record<string, string>>): Set<PermissionGroup> {
  const groups = new Set<PermissionGroup>();
  for (const name of Object.keys(permissions)) {
    const info = PERMISSIONS.get(name);
    if (info) groups.add(info.group);
  }
  return groups;
}

/**
 * `{owner}` and `{repo}` in an endpoint or a `-F` value, filled from the
 * current repository's `origin` remote, as gh fills them.
 */
import { UsageError } from "../../errors.js";

const PLACEHOLDER = /\{(owner|repo)\}/g;

export interface RemoteRepository {
  host: string;
  owner: string;
  repo: string;
}

export function hasPlaceholders(text: string): boolean {
  return /\{(?:owner|repo)\}/.test(text);
}

/** The owner and name a path such as `/acme/app.git` or `acme/app` names; null for any other shape. */
function ownerAndRepo(path: string): { owner: string; repo: string } | null {
  const segments = path.replace(/^\/+/, "").replace(/\/+$/, "").split("/");
  if (segments.length !== 2) return null;
  const [owner, rawRepo] = segments as [string, string];
  const repo = rawRepo.replace(/\.git$/i, "");
  const name = /^[A-Za-z0-9_.-]+$/;
  if (!name.test(owner) || !name.test(repo) || repo === "." || repo === "..") return null;
  return { owner, repo };
}

/**
 * The repository a remote URL names: `https://HOST/OWNER/REPO(.git)`,
 * `ssh://git@HOST/OWNER/REPO.git`, `git://…`, or scp-like
 * `git@HOST:OWNER/REPO.git`. Null when it names none (a local path, say).
 */
export function parseRemoteUrl(remote: string): RemoteRepository | null {
  const text = remote.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    if (!["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(url.protocol) || url.hostname === "")
      return null;
    const named = ownerAndRepo(decodeURIComponent(url.pathname));
    return named && { host: url.host.toLowerCase(), ...named };
  }
  // scp-like syntax: [user@]host:path, where the host holds no '/'.
  const scp = /^(?:[^@/]+@)?([^:/]+):(.+)$/.exec(text);
  if (scp === null) return null;
  const named = ownerAndRepo(scp[2] as string);
  return named && { host: (scp[1] as string).toLowerCase(), ...named };
}

/** `text` with its placeholders filled; `repository` null means there is no origin to fill them from. */
export function fillPlaceholders(text: string, repository: RemoteRepository | null): string {
  if (!hasPlaceholders(text)) return text;
  if (repository === null) {
    throw new UsageError(
      `'${text}' has a {owner} or {repo} placeholder, and there is no GitHub repository to fill it from.`,
      "Run ghpat api inside a clone whose 'origin' remote is on GitHub, or write the owner and repository out.",
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) => (name === "owner" ? repository.owner : repository.repo));
}

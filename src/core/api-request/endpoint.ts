/**
 * Where `ghpat api <endpoint>` sends its request: a path relative to the
 * host's API base, or `graphql`. The token goes to that API's origin only,
 * so a full URL is taken only when it lies under the same base.
 */
import { UsageError } from "../../errors.js";

export function isGraphqlEndpoint(endpoint: string): boolean {
  return endpoint === "graphql" || endpoint === "/graphql";
}

/** GitHub Enterprise Server serves GraphQL at /api/graphql, beside the REST base /api/v3; elsewhere it is <base>/graphql. */
export function graphqlUrl(apiBase: string): URL {
  const base = apiBase.replace(/\/+$/, "");
  return new URL(base.endsWith("/api/v3") ? `${base.slice(0, -2)}graphql` : `${base}/graphql`);
}

/**
 * `.` and `..` segments (also written %2e, which URLs treat alike) would let
 * `repos/acme/app/../../evil/x` pick acme's token for evil's repository.
 */
function hasDotSegment(path: string): boolean {
  return path.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** Refuses what would make the URL mean something other than it says. */
function checkPath(endpoint: string, path: string): void {
  if (hasDotSegment(path))
    throw new UsageError(
      `The endpoint '${endpoint}' has a '.' or '..' segment.`,
      "Give the path as GitHub documents it, e.g. repos/OWNER/REPO/issues.",
    );
  if (/[\s\\#]/.test(path))
    throw new UsageError(
      `The endpoint '${endpoint}' holds a blank, a backslash or a '#'.`,
      "Percent-encode such characters, e.g. %20 for a blank.",
    );
}

/** The request URL of a REST endpoint (`repos/o/r/issues?state=all`, with or without the leading `/`). */
export function restUrl(endpoint: string, apiBase: string): URL {
  const base = new URL(apiBase.replace(/\/+$/, "") + "/");
  if (/^[a-z][a-z0-9+.-]*:/i.test(endpoint)) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`'${endpoint}' is not a URL.`, "Give a path relative to the API, e.g. repos/OWNER/REPO.");
    }
    if (
      url.origin !== base.origin ||
      !url.pathname.startsWith(base.pathname) ||
      url.username !== "" ||
      url.password !== ""
    ) {
      throw new UsageError(
        `'${url.origin}${url.pathname}' is not under the API ${base.href}; ghpat sends the token to that API only.`,
        "Give a path relative to the API (e.g. repos/OWNER/REPO), and --hostname for another host.",
      );
    }
    checkPath(endpoint, endpoint.slice(endpoint.indexOf("//") + 2).replace(/[?#].*$/, ""));
    return url;
  }
  const relative = endpoint.replace(/^\/+/, "");
  const query = relative.indexOf("?");
  checkPath(endpoint, query === -1 ? relative : relative.slice(0, query));
  return new URL(relative, base);
}

/** The URL for an endpoint: GraphQL's or a REST path. */
export function endpointUrl(endpoint: string, apiBase: string): URL {
  return isGraphqlEndpoint(endpoint) ? graphqlUrl(apiBase) : restUrl(endpoint, apiBase);
}

/** The path of `url` below the API base, without a leading `/`; null when it is not below it. */
export function pathBelowBase(url: URL, apiBase: string): string | null {
  const base = new URL(apiBase.replace(/\/+$/, "") + "/");
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  return url.pathname.slice(base.pathname.length);
}

/**
 * What the endpoint says about whose resource it is, in the form of git's
 * credential `path` so that the same `--match` routing applies:
 * `repos/OWNER/REPO/...` → `OWNER/REPO`; `orgs/OWNER/...` and
 * `users/OWNER/...` → `OWNER`. Percent-encoded names are decoded (GitHub
 * decodes them too); anything else names no owner.
 */
export function routingPath(pathBelowApi: string): string | undefined {
  const segments = pathBelowApi.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  // A decoded segment holding '/' would shift the owner and repository apart.
  if (segments.some((segment) => segment.includes("/"))) return undefined;
  const [kind, owner, repo] = segments;
  if (owner === undefined || owner === "") return undefined;
  const lower = kind?.toLowerCase();
  if (lower === "repos") return repo === undefined || repo === "" ? owner : `${owner}/${repo}`;
  if (lower === "orgs" || lower === "users") return owner;
  return undefined;
}

/**
 * Which token `ghpat api` sends (pure; the caller reads the index and the
 * secret): `--token NAME`; else the routing git's credential helper uses
 * (routing.ts), given the endpoint's owner or repository as git's `path`;
 * that is the `--match` patterns, then the host's default, then its only
 * token, then the environment's token under the same host rules.
 */
import type { Env } from "../config.js";
import { NotFoundError, UsageError } from "../errors.js";
import type { TokenRecord } from "./record.js";
import { routeCredential, sameHost, type Route } from "./routing.js";

export interface ApiTokenRequest {
  /** The host the request goes to (from --hostname, GH_HOST or github.com); ignored for --token without --hostname. */
  host: string;
  /** Whether the host was asked for (--hostname) rather than taken by default. */
  hostGiven: boolean;
  /** `OWNER/REPO` or `OWNER`, from the endpoint (endpoint.ts routingPath). */
  path?: string | undefined;
  /** `--token NAME`. */
  name?: string | undefined;
}

export type ApiRoute =
  Exclude<Route, { kind: "none" }> | { kind: "stored"; record: TokenRecord; username: string; via: "name" };

export function routeApiToken(
  request: ApiTokenRequest,
  records: readonly TokenRecord[],
  options: { env: Env; now: Date },
): ApiRoute {
  if (request.name !== undefined) {
    const named = records.filter((t) => t.name === request.name);
    const record = request.hostGiven ? named.find((t) => sameHost(request.host, t.host)) : named[0];
    if (record === undefined) {
      if (named[0] !== undefined) {
        throw new UsageError(
          `'${request.name}' is a token for ${named[0].host}, not for ${request.host}.`,
          `Drop --hostname, or name a token for ${request.host}.`,
        );
      }
      throw new NotFoundError(`No token named '${request.name}'.`, "Run 'ghpat list' to see the stored names.");
    }
    return { kind: "stored", record, username: record.login ?? "", via: "name" };
  }
  const route = routeCredential({ protocol: "https", host: request.host, path: request.path }, records, options);
  if (route.kind !== "none") return route;
  const mine = records.filter((t) => sameHost(request.host, t.host));
  const add = `ghpat add${request.host === "github.com" ? "" : ` --host ${request.host}`}`;
  if (mine.length === 0)
    throw new NotFoundError(
      `No token is stored for ${request.host}.`,
      `Add one with '${add}', or pick one with --token NAME.`,
    );
  throw new NotFoundError(
    `None of the ${mine.length} tokens for ${request.host} answers ${request.path === undefined ? "this endpoint" : `'${request.path}'`}: none matches it, none is a usable default.`,
    `Name one with --token NAME, or make one the default with 'ghpat default NAME'.`,
  );
}

import { helperName, type HelperWiring } from "../../core/git-helper-chain.js";
import { currentStatus, normalizeHost, publicRecord, type TokenRecord } from "../../core/record.js";
import {
  answerUsername,
  bestPattern,
  recordsForRequest,
  routeCredential,
  type CredentialRequest,
} from "../../core/routing.js";
import { asciiLower } from "../../core/ascii.js";
import { envFallbackAllowed, tokenVariables } from "../../core/env-token.js";
import { NotFoundError, UsageError } from "../../errors.js";
import { openIndex } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { gitWiring, runProgram } from "../shared/git-wiring.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { whichSpec } from "./spec.js";

export type WhichOptions = OptionsOf<typeof whichSpec>;

export interface WhichAnswer {
  url: string;
  host: string;
  /** The path git sends: null when it sends none (credential.useHttpPath off), which leaves --match patterns out. */
  path: string | null;
  username: string | null;
  useHttpPath: boolean;
  /** "match", "default", "only" (the host's one usable token), "env", or "none". */
  source: "match" | "default" | "only" | "env" | "none";
  token: {
    name: string;
    host: string;
    login: string | null;
    fingerprint: string;
    status: string;
    default: boolean;
    match: string[];
  } | null;
  /** The --match pattern that chose the token. */
  pattern: string | null;
  /** The environment variable the token would come from. */
  variable: string | null;
  /** One sentence: why this token, or why none. */
  reason: string;
  /** The host's tokens git would not get, and why. */
  skipped: Array<{ name: string; why: string }>;
  /** Whether git asks ghpat at all for the host (setup-git's check). */
  git: { state: HelperWiring["state"] | "no-git"; others: string[] };
}

/** The request git builds from a URL: protocol, host (port included), the path without its leading slash, the user. */
export interface UrlRequest {
  protocol: string;
  host: string;
  path: string | undefined;
  username: string | undefined;
}

export function requestFromUrl(raw: string): { request: UrlRequest; display: string } {
  const text = raw.trim();
  if (/^[^/:]+@[^/:]+:/.test(text) || text.startsWith("ssh://") || text.startsWith("git://")) {
    throw new UsageError(
      `'${text}' is not an HTTPS URL: git uses SSH (or no authentication) for it and never asks a credential helper.`,
      "Give the https:// URL of the repository, e.g. https://github.com/OWNER/REPO.git.",
    );
  }
  let url: URL;
  try {
    url = new URL(text.includes("://") ? text : `https://${text}`);
  } catch {
    throw new UsageError(`'${text}' is not a URL.`, "Give the URL git uses, e.g. https://github.com/OWNER/REPO.git.");
  }
  if (url.password !== "") {
    throw new UsageError(
      "The URL holds a password: a token in a URL ends up in shell history, 'ps' and git's configuration.",
      "Give the URL without it, and revoke that token if it was a real one.",
    );
  }
  const protocol = url.protocol.replace(/:$/, "");
  const host = normalizeHost(url.host) ?? url.host;
  let path = url.pathname.replace(/^\/+/, "");
  try {
    path = decodeURIComponent(path);
  } catch {
    // Left as given: git passes undecodable escapes on too.
  }
  const username = url.username === "" ? undefined : decodeURIComponent(url.username);
  const display = `${protocol}://${username ? `${encodeURIComponent(username)}@` : ""}${host}${path ? `/${path}` : ""}`;
  return { request: { protocol, host, path: path || undefined, username }, display };
}

/** `git config --get-urlmatch credential.useHttpPath URL`: does git send the path to helpers for this URL? */
async function sendsPath(url: string, ctx: Context): Promise<boolean | null> {
  const result = await runProgram(["config", "--type=bool", "--get-urlmatch", "credential.usehttppath", url], ctx.env);
  if (result.code === null) return null;
  return result.code === 0 && result.stdout.trim() === "true";
}

function why(record: TokenRecord, request: CredentialRequest, now: Date): string | null {
  const status = currentStatus(record, now);
  if (status !== "valid" && status !== "unverified") return `${status}: git is never given it`;
  if (request.username !== undefined && asciiLower(request.username) !== asciiLower(answerUsername(record)))
    return `its login is ${record.login ?? "unknown"}, and the URL names the user ${request.username}`;
  return null;
}

/**
 * Answers as `git-credential get` would (the same index read and the same
 * routing, src/core/routing.ts), without reading a secret: the token's
 * name and fingerprint, and the rule that chose it.
 */
export async function runWhich(options: WhichOptions, ctx: Context): Promise<WhichAnswer> {
  const { request: parsed, display } = requestFromUrl(options.url);
  const now = ctx.now();
  const https = parsed.protocol === "https";
  const [index, useHttpPath, wiring] = await Promise.all([
    openIndex(ctx.env).read(),
    https ? sendsPath(`https://${parsed.host}/${parsed.path ?? ""}`, ctx) : Promise.resolve(false),
    https ? gitWiring(parsed.host, ctx.env) : Promise.resolve(null),
  ]);
  // What git sends: the path only with useHttpPath (when git is not installed, as the URL says).
  const request: CredentialRequest = { ...parsed, path: useHttpPath === false ? undefined : parsed.path };
  const route = routeCredential(request, index.tokens, { env: ctx.env, now });
  const mine = recordsForRequest(request, index.tokens) ?? [];
  const skipped = mine.flatMap((t) => {
    const reason = why(t, request, now);
    return reason === null ? [] : [{ name: t.name, why: reason }];
  });

  let answer: Omit<WhichAnswer, "url" | "host" | "path" | "username" | "useHttpPath" | "skipped" | "git">;
  if (route.kind === "stored") {
    const record = publicRecord(route.record);
    const token = {
      name: record.name,
      host: record.host,
      login: record.login,
      fingerprint: record.fingerprint,
      status: currentStatus(record, now),
      default: record.default,
      match: record.match,
    };
    const pattern = route.via === "match" ? bestPattern(route.record, request.path) : null;
    const reason =
      route.via === "match"
        ? `its --match pattern '${pattern ?? "?"}' names ${request.path ?? ""} (the most specific pattern wins)`
        : route.via === "default"
          ? `it is the default token for ${parsed.host}${request.path ? " (no --match pattern names this repository)" : ""}`
          : `it is the only usable token for ${parsed.host}`;
    answer = { source: route.via, token, pattern, variable: null, reason };
  } else if (route.kind === "env") {
    answer = {
      source: "env",
      token: null,
      pattern: null,
      variable: route.variable,
      reason: `no stored token answers for ${parsed.host}, and ${route.variable} is set`,
    };
  } else {
    const reason = !https
      ? `ghpat answers https:// requests only, and this is ${parsed.protocol}://`
      : mine.length === 0
        ? `ghpat stores no token for ${parsed.host}, and ${
            envFallbackAllowed(
              parsed.host,
              index.tokens.map((t) => t.host),
              ctx.env,
            )
              ? `neither ${tokenVariables(parsed.host).join(" nor ")} is set`
              : "no environment token may go there"
          }`
        : parsed.username !== undefined &&
            skipped.length === mine.length &&
            skipped.every((s) => s.why.startsWith("its login"))
          ? `no token of ${parsed.host} has the login ${parsed.username}`
          : `none of the ${mine.length} token${mine.length === 1 ? "" : "s"} for ${parsed.host} may be given, and none is the default or the only one`;
    answer = { source: "none", token: null, pattern: null, variable: null, reason };
  }
  const result: WhichAnswer = {
    url: display,
    host: parsed.host,
    path: request.path ?? null,
    username: parsed.username ?? null,
    useHttpPath: useHttpPath === true,
    ...answer,
    skipped,
    git: {
      state: wiring === null ? (https ? "no-git" : "none") : wiring.state,
      others: wiring?.foreign.map(helperName) ?? [],
    },
  };

  if (options.json) ctx.out.json(result);
  else ctx.out.data(render(result, parsed.path, mine));
  if (result.source === "none") {
    throw new NotFoundError(
      `git would get no token from ghpat for ${display}.`,
      mine.length === 0 && https
        ? `Add one with 'ghpat add${parsed.host === "github.com" ? "" : ` --host ${parsed.host}`}'.`
        : "See the reasons above; 'ghpat list' shows the tokens.",
    );
  }
  return result;
}

function render(a: WhichAnswer, urlPath: string | undefined, mine: TokenRecord[]): string {
  const lines = [a.url];
  if (a.token)
    lines.push(
      `  token:  ${a.token.name} (${a.token.fingerprint}${a.token.login ? `, login ${a.token.login}` : ""}, ${a.token.status})`,
    );
  else if (a.variable) lines.push(`  token:  the ${a.variable} environment variable`);
  else lines.push("  token:  none: git asks its next helper, then you");
  lines.push(`  why:    ${a.reason}`);
  for (const s of a.skipped) lines.push(`  not:    ${s.name} (${s.why})`);
  if (urlPath && a.path === null && mine.some((t) => bestPattern(t, urlPath) !== null)) {
    lines.push(
      `  note:   git sends no path for ${a.host} (credential.useHttpPath is off), so --match patterns are not used; 'ghpat setup-git --path${a.host === "github.com" ? "" : ` --host ${a.host}`}' turns it on`,
    );
  }
  const setup = `ghpat setup-git${a.host === "github.com" ? "" : ` --host ${a.host}`}`;
  if (a.git.state === "none") lines.push(`  git:    git does not ask ghpat for ${a.host}; run '${setup}'`);
  else if (a.git.state === "shared")
    lines.push(
      `  git:    git also asks ${a.git.others.map((o) => `'${o}'`).join(", ")} and hands it the token; run '${setup}'`,
    );
  else if (a.git.state === "no-git") lines.push("  git:    git is not on PATH");
  return lines.join("\n");
}

export const run: RunFunction<typeof whichSpec> = runWhich;

import { isInteractive, resolveHost } from "../../config.js";
import { CheckFailedError, UsageError } from "../../errors.js";
import {
  classicLink,
  creationMismatches,
  DEFAULT_EXPIRES_IN_DAYS,
  fineGrainedChecklist,
  fineGrainedLink,
  hasFineGrainedPrefill,
  parseExpiresIn,
  type ExpiresIn,
} from "../../core/creation-link.js";
import { groupsOf, parsePermissions, type Permissions } from "../../core/permissions.js";
import { isValidLogin, type TokenRecord } from "../../core/record.js";
import { isKnownScope, parseScopeList } from "../../core/scopes.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { checkFormatOrThrow, readToken } from "../shared/read-token.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { checkNameAndMatches, fetchInfoBeforeStoring, refuseTakenName, storeToken } from "../shared/store-token.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { newSpec } from "./spec.js";

export type NewOptions = OptionsOf<typeof newSpec>;

/** What the user asked for, checked offline (every mistake is a usage error, exit 2). */
interface Request {
  kind: "classic" | "fine-grained";
  host: string;
  /** The token's name on GitHub. */
  title: string;
  permissions: Permissions;
  scopes: string[];
  owner: string | null;
  expiresIn: ExpiresIn;
  match: string[];
  link: string;
  /** What to pick, or check, on a fine-grained token's page. */
  checklist: string[] | null;
  /** The page fills the checklist in from the link (github.com, *.ghe.com). */
  prefilled: boolean;
}

function requestOf(options: NewOptions, ctx: Context): Request {
  refuseTokenArgument(options.name);
  checkNameAndMatches(options.name, options.match);
  const kind = options.classic ? "classic" : "fine-grained";
  if (kind === "classic") {
    if (options.permission.length > 0)
      throw new UsageError(
        "--permission is for fine-grained tokens; a classic token takes --scopes.",
        "Drop --classic to make a fine-grained token, or give --scopes repo,read:org.",
      );
    if (options.owner !== undefined)
      throw new UsageError(
        "--owner is for fine-grained tokens: a classic token reaches everything its account can.",
        "Drop --classic to make a fine-grained token for that owner.",
      );
  } else if (options.scopes !== undefined) {
    throw new UsageError(
      "--scopes is for classic tokens; a fine-grained token takes --permission NAME:LEVEL.",
      "Add --classic, or give e.g. --permission contents:write.",
    );
  }
  if (options.open && !options.browser)
    throw new UsageError("--open and --no-browser contradict each other.", "Give one of them.");
  const permissions = parsePermissions(options.permission);
  const scopes = parseScopeList(options.scopes ?? "");
  for (const scope of scopes)
    if (!isKnownScope(scope)) ctx.out.warn(`'${scope}' is not a scope GitHub documents; the page may ignore it.`);
  const owner = options.owner ?? null;
  if (owner !== null && !isValidLogin(owner))
    throw new UsageError(
      `'${owner}' is not a GitHub user or organisation name.`,
      "Give the login of the account or organisation that owns the repositories.",
    );
  const expiresIn = parseExpiresIn(options.expiresIn ?? String(DEFAULT_EXPIRES_IN_DAYS));
  const host = resolveHost(options.host, ctx.env);
  const title = options.name ?? `ghpat-${ctx.now().toISOString().slice(0, 10)}`;
  const match = options.match.length > 0 || owner === null || !options.ownerMatch ? options.match : [`${owner}/*`];

  const asked: Omit<Request, "link" | "checklist" | "prefilled"> = {
    kind,
    host,
    title,
    permissions,
    scopes,
    owner,
    expiresIn,
    match,
  };
  if (kind === "classic")
    return { ...asked, link: classicLink({ host, name: title, scopes }), checklist: null, prefilled: true };
  const fine = { host, name: title, description: options.note ?? null, owner, expiresIn, permissions };
  return {
    ...asked,
    link: fineGrainedLink(fine),
    checklist: fineGrainedChecklist(fine),
    prefilled: hasFineGrainedPrefill(host),
  };
}

/** Opens the link when asked to (--open), or on a terminal unless --no-browser; a browser that does not start is only worth a warning. */
async function maybeOpen(link: string, options: NewOptions, ctx: Context): Promise<void> {
  const onTerminal = isInteractive(process.stdin, ctx.env) && process.stderr.isTTY === true;
  if (!options.browser || !(options.open || onTerminal)) return;
  const { openInBrowser } = await import("../../ui/browser.js");
  try {
    await openInBrowser(link, ctx.env);
    ctx.out.info("Opened it in your browser.");
  } catch (error) {
    ctx.out.warn(
      `Could not open a browser (${error instanceof Error ? error.message : String(error)}); open the link yourself.`,
    );
  }
}

/** The private repositories a new fine-grained token reaches, so that list says where at once; null (learnt by the next verify) when GitHub does not say. */
async function reachOf(host: string, token: string, options: NewOptions, ctx: Context): Promise<string[] | null> {
  const { listPrivateRepositories } = await import("../../github/repos.js");
  try {
    const repositories = await listPrivateRepositories(host, token, { timeoutMs: options.timeoutMs, env: ctx.env });
    if (repositories.length === 0)
      ctx.out.warn(
        "The token reaches no private repository yet: add the ones it needs on its page on GitHub, then run 'ghpat verify'.",
      );
    return repositories;
  } catch (error) {
    ctx.out.warn(
      `Could not list the repositories the token reaches (${error instanceof Error ? error.message : String(error)}); 'ghpat verify' will learn them.`,
    );
    return null;
  }
}

/**
 * `ghpat new`: the prefilled creation link, the browser, then the token the
 * user made, verified and compared with the request. A token that differs
 * (another type, a missing scope, a later expiry) is refused and nothing is
 * stored, unless --force.
 */
export async function runNew(options: NewOptions, ctx: Context): Promise<TokenRecord | string> {
  const request = requestOf(options, ctx);
  if (options.printUrl) {
    ctx.out.data(`${request.link}\n`);
    return request.link;
  }
  const vault = openVault(ctx.env);
  await refuseTakenName(vault, options.name, options.force);
  // Before the browser, the paste and the request: a store that cannot take the token fails now (exit 4).
  await vault.requireUsableStore();

  const what = request.kind === "classic" ? "classic token" : "fine-grained token";
  const lines = [`Create the ${what} at:`, `  ${request.link}`];
  if (request.checklist === null)
    lines.push(
      `The link cannot set a classic token's expiration: pick ${request.expiresIn === "none" ? "'No expiration'" : `${request.expiresIn} days`} on the page, then click 'Generate token'.`,
    );
  else {
    // The fine-grained prefill is a page feature GitHub may change: the user checks what it filled in.
    lines.push(
      request.prefilled
        ? "Check that the page shows (pick the repositories there: no link can choose them):"
        : `${request.host} does not fill that page in; pick:`,
    );
    lines.push(...request.checklist.map((step) => `  - ${step}`), "Then click 'Generate token'.");
  }
  ctx.out.info(lines.join("\n"));
  if (request.kind === "fine-grained" && request.owner === null && groupsOf(request.permissions).has("organization")) {
    ctx.out.warn("Organisation permissions apply only with an organisation as resource owner: pass --owner ORG.");
  }
  await maybeOpen(request.link, options, ctx);

  const token = await readToken(options.stdin, ctx, `Paste the new token for ${request.host}:`, "ghpat new");
  const format = checkFormatOrThrow(token, options.force, "--force", ctx);
  const info = await fetchInfoBeforeStoring(request.host, token, format.type, { timeoutMs: options.timeoutMs }, ctx);

  const { problems, warnings } = creationMismatches(
    { kind: request.kind, scopes: request.scopes, expiresIn: request.expiresIn },
    { type: format.type, scopes: info.scopes, expiresAt: info.expiresAt, expiryKnown: info.expiryKnown },
    ctx.now(),
  );
  for (const warning of warnings) ctx.out.warn(warning);
  if (problems.length > 0) {
    if (!options.force)
      throw new CheckFailedError(
        `The token is not the one asked for. ${problems.join(" ")} Nothing was stored.`,
        `Create it again at ${request.link}, or pass --force to store it anyway.`,
      );
    for (const problem of problems) ctx.out.warn(`${problem} (accepted because of --force)`);
  }

  const fineGrained = request.kind === "fine-grained" && format.type === "fine-grained";
  const repositories = fineGrained ? await reachOf(request.host, token, options, ctx) : null;
  return storeToken(
    vault,
    {
      name: options.name,
      host: request.host,
      token,
      type: format.type,
      info,
      default: options.default,
      match: request.match,
      note: options.note ?? null,
      replace: options.force,
      permissions: fineGrained ? request.permissions : null,
      owner: fineGrained ? (request.owner ?? info.login) : null,
      repositories,
    },
    ctx,
  );
}

export const run: RunFunction<typeof newSpec> = async (options, ctx) => {
  await runNew(options, ctx);
};

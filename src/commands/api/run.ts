import { localDay } from "../../core/days.js";
import { readFileSync } from "node:fs";
import { apiBaseUrl, apiTimeoutMs, resolveHost } from "../../config.js";
import { CheckFailedError, NetworkError, NotFoundError, UsageError } from "../../errors.js";
import { pathBelowBase, routingPath } from "../../core/api-request/endpoint.js";
import { parseFields, type Fields } from "../../core/api-request/fields.js";
import { parseHeaderFlags } from "../../core/api-request/headers.js";
import {
  answerKind,
  describeHttpFailure,
  graphqlErrors,
  isJsonMediaType,
  rateLimitReset,
} from "../../core/api-request/http-error.js";
import { mergePages, nextPageLink } from "../../core/api-request/pagination.js";
import {
  fillPlaceholders,
  hasPlaceholders,
  parseRemoteUrl,
  type RemoteRepository,
} from "../../core/api-request/placeholders.js";
import { planRequest, type RequestPlan } from "../../core/api-request/plan.js";
import { routeApiToken, type ApiRoute } from "../../core/api-route.js";
import { isExpired, recentlyUsed, type TokenRecord } from "../../core/record.js";
import { ApiSession, flatHeaders, type HttpAnswer, type HttpTrace } from "../../github/api-http.js";
import { openTransport } from "../../github/transport.js";
import { nudgeAfterHandingOut } from "../../storage/nudge-state.js";
import { openVault } from "../../storage/open.js";
import { isTerminal, writeFd, writeFdBytes } from "../../ui/fd-write.js";
import { requestTrace, responseHead, responseTrace } from "../../ui/http-lines.js";
import { handledSecrets } from "../../ui/redact.js";
import type { Context } from "../shared/context.js";
import type { RunFunction } from "../shared/spec.js";
import type { apiSpec } from "./spec.js";

type ApiOptions = Parameters<RunFunction<typeof apiSpec>>[0];

/** A request body from standard input may be large (a release asset, a file's contents); this only stops a runaway pipe. */
const MAX_STDIN = 512 * 1024 * 1024;

async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_STDIN)
      throw new UsageError("Standard input is larger than 512 MiB.", "Send such a body from a file with --input FILE.");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function readUserFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new NotFoundError(
        `${flag}: there is no file '${path}'.`,
        "Check the path (relative to the current directory).",
      );
    throw new UsageError(`${flag}: cannot read '${path}' (${code ?? (error as Error).message}).`);
  }
}

const typedValue = (text: string) => text.slice(text.indexOf("=") + 1);

/** Standard input, read once, when `--input -` or a `-F key=@-` asks for it. */
async function standardInputFor(options: ApiOptions): Promise<Buffer | null> {
  const readers =
    (options.input === "-" ? 1 : 0) + options.field.filter((f) => f.includes("=") && typedValue(f) === "@-").length;
  if (readers > 1)
    throw new UsageError(
      "Standard input can be read once: by --input - or by one -F key=@-.",
      "Read the other value from a file.",
    );
  return readers === 1 ? readStandardInput() : null;
}

async function originRepository(ctx: Context): Promise<RemoteRepository | null> {
  const { originRemoteUrl } = await import("../../git/origin-remote.js");
  const url = await originRemoteUrl(ctx.env);
  return url === null ? null : parseRemoteUrl(url);
}

interface Prepared {
  fields: Fields;
  endpoint: string;
  input: Buffer | null;
}

async function prepare(options: ApiOptions, ctx: Context): Promise<Prepared> {
  const stdin = await standardInputFor(options);
  const needsRepository =
    hasPlaceholders(options.endpoint) || options.field.some((f) => hasPlaceholders(typedValue(f)));
  const repository = needsRepository ? await originRepository(ctx) : null;
  const fields = parseFields(options.rawField, options.field, {
    readFile: (path) => (path === "-" ? (stdin as Buffer) : readUserFile(path, "-F")).toString("utf8"),
    fill: (text) => fillPlaceholders(text, repository),
  });
  const input =
    options.input === undefined ? null : options.input === "-" ? stdin : readUserFile(options.input, "--input");
  return { fields, endpoint: fillPlaceholders(options.endpoint, repository), input };
}

/** The host: --hostname; else that of --token's token; else GH_HOST or github.com. */
function hostFor(options: ApiOptions, records: readonly TokenRecord[], ctx: Context): string {
  if (options.hostname === undefined && options.token !== undefined) {
    const named = records.find((t) => t.name === options.token);
    if (named !== undefined) return named.host;
  }
  return resolveHost(options.hostname, ctx.env);
}

function warnIfUnusable(route: ApiRoute, ctx: Context): void {
  if (route.kind !== "stored") return;
  const { record } = route;
  if (isExpired(record, ctx.now()))
    ctx.out.warn(`'${record.name}' expired on ${localDay(record.expiresAt ?? "")}; GitHub will probably refuse it.`);
  else if (record.status === "revoked" || record.status === "rejected")
    ctx.out.warn(`'${record.name}' is marked ${record.status}; run 'ghpat verify ${record.name}' or replace it.`);
}

/** lastUsedAt, at most once a minute; best effort, as a busy or read-only index must not fail a call that worked. */
async function recordUse(route: Extract<ApiRoute, { kind: "stored" }>, ctx: Context): Promise<void> {
  const now = ctx.now();
  if (recentlyUsed(route.record, now)) return;
  try {
    await openVault(ctx.env).updateRecords([route.record.name], (t) =>
      recentlyUsed(t, now) ? t : { ...t, lastUsedAt: now.toISOString() },
    );
  } catch (error) {
    ctx.out.warn(`Could not record that '${route.record.name}' was used: ${(error as Error).message}`);
  }
}

function verboseTrace(): HttpTrace {
  return {
    request: (method, url, headers, body) => writeFd(2, requestTrace(method, url, headers, body)),
    response: (answer) => writeFd(2, responseTrace(answer.status, answer.statusText, answer.headers)),
  };
}

function contentType(answer: HttpAnswer): string | undefined {
  return flatHeaders(answer.headers)["content-type"];
}

/** JSON bodies are indented on a terminal; everything else, and everything piped, goes out byte for byte. */
function printBody(answer: HttpAnswer, pretty: boolean): void {
  if (answer.body.length === 0) return;
  if (pretty && isJsonMediaType(contentType(answer))) {
    try {
      writeFd(1, `${JSON.stringify(JSON.parse(answer.body.toString("utf8")), null, 2)}\n`);
      return;
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  writeFdBytes(1, answer.body);
}

/** Throws the error an answer that is not a success ends the command with (its body is already printed). */
function failIfUnsuccessful(answer: HttpAnswer, plan: RequestPlan, ctx: Context): void {
  const headers = flatHeaders(answer.headers);
  const kind = answerKind(answer.status, headers);
  if (kind === "ok") {
    const errors = plan.graphql ? graphqlErrors(answer.body.toString("utf8")) : [];
    if (errors.length > 0)
      throw new CheckFailedError(`GraphQL: ${errors.join("\n")}`, "The answer above holds GraphQL's errors.");
    return;
  }
  const description = describeHttpFailure({
    status: answer.status,
    statusText: answer.statusText,
    method: answer.method,
    target: `${answer.url.pathname}${answer.url.search}`,
    body: answer.body.toString("utf8"),
  });
  if (kind === "rate-limited") {
    const reset = rateLimitReset(headers, ctx.now().getTime());
    throw new NetworkError(
      `${description}\nThe GitHub API rate limit is exhausted${reset === null ? "" : `; it resets at ${reset.toISOString()}`}.`,
      reset === null ? "Wait a few minutes and try again." : `Try again after ${reset.toISOString()}.`,
    );
  }
  if (kind === "server-error")
    throw new NetworkError(
      description,
      "GitHub may be having trouble (https://www.githubstatus.com); try again later.",
    );
  throw new CheckFailedError(description);
}

type Send = (request: RequestPlan) => Promise<HttpAnswer>;

async function single(send: Send, plan: RequestPlan, options: ApiOptions, ctx: Context): Promise<HttpAnswer> {
  const answer = await send(plan);
  if (options.include) writeFd(1, responseHead(answer.status, answer.statusText, answer.headers));
  if (!options.silent) printBody(answer, isTerminal(1));
  failIfUnsuccessful(answer, plan, ctx);
  return answer;
}

/** Every page's items, one JSON array at the end; a failing page is shown as it came, and ends the command. */
async function paginate(
  send: Send,
  plan: RequestPlan,
  apiOrigin: string,
  options: ApiOptions,
  ctx: Context,
): Promise<HttpAnswer> {
  const pages: unknown[] = [];
  const seen = new Set<string>();
  let request: RequestPlan = plan;
  for (;;) {
    seen.add(request.url.href);
    const answer = await send(request);
    if (options.include) writeFd(1, responseHead(answer.status, answer.statusText, answer.headers));
    if (answerKind(answer.status, flatHeaders(answer.headers)) !== "ok") {
      if (!options.silent) printBody(answer, isTerminal(1));
      failIfUnsuccessful(answer, request, ctx);
    }
    try {
      pages.push(JSON.parse(answer.body.toString("utf8")));
    } catch {
      throw new NetworkError(
        `Page ${pages.length + 1} of ${request.url.pathname} is not JSON, so --paginate cannot merge it.`,
        "Call the endpoint without --paginate.",
      );
    }
    const link = nextPageLink(flatHeaders(answer.headers).link);
    const next = link === null ? null : new URL(link, answer.url);
    if (next === null || seen.has(next.href)) {
      if (!options.silent) writeFd(1, `${JSON.stringify(mergePages(pages), null, isTerminal(1) ? 2 : undefined)}\n`);
      return answer;
    }
    if (next.origin !== apiOrigin) {
      throw new NetworkError(
        `The next page is at ${next.origin}, not at the API (${apiOrigin}); ghpat sends the token to the API only.`,
        "Check GHPAT_API_URL and any proxy that rewrites GitHub's Link headers.",
      );
    }
    request = { ...plan, url: next, body: null };
  }
}

export const run: RunFunction<typeof apiSpec> = async (options, ctx) => {
  const headers = parseHeaderFlags(options.header);
  const timeoutMs = apiTimeoutMs(options.timeoutMs, ctx.env);
  const prepared = await prepare(options, ctx);
  const vault = openVault(ctx.env);
  const records = await vault.records();
  const host = hostFor(options, records, ctx);
  const apiBase = apiBaseUrl(host, ctx.env);
  const plan = planRequest({
    endpoint: prepared.endpoint,
    apiBase,
    method: options.method,
    fields: prepared.fields,
    input: prepared.input,
    headers,
    paginate: options.paginate,
  });
  const below = pathBelowBase(plan.url, apiBase);
  const route = routeApiToken(
    {
      host,
      hostGiven: options.hostname !== undefined,
      path: below === null ? undefined : routingPath(below),
      name: options.token,
    },
    records,
    { env: ctx.env, now: ctx.now() },
  );
  warnIfUnusable(route, ctx);
  // The HTTP code loads while the secret store looks the token up.
  const transport = openTransport(ctx.env, new URL(apiBase).protocol);
  const token = route.kind === "env" ? route.token : await vault.secretOf(route.record);
  handledSecrets.add(token);
  const session = new ApiSession({
    apiBase,
    token,
    timeoutMs,
    env: ctx.env,
    trace: options.verbose ? verboseTrace() : undefined,
    transport,
  });
  let answered: number | undefined;
  const send: Send = async (request) => {
    const answer = await session.send(request);
    answered = answer.status;
    return answer;
  };
  try {
    if (options.paginate) await paginate(send, plan, new URL(apiBase).origin, options, ctx);
    else await single(send, plan, options, ctx);
  } finally {
    await session.close();
    // GitHub took the token, whatever it said of the request: it is in use. A 401 says it is not.
    if (answered !== undefined && answered !== 401 && route.kind === "stored") {
      await recordUse(route, ctx);
      await nudgeAfterHandingOut(route.record, { env: ctx.env, now: ctx.now, warn: (line) => ctx.out.info(line) });
    }
  }
};

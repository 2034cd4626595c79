import { existsSync } from "node:fs";
import { resolveHost, secretsFilePath, storeKind, keychainService } from "../../config.js";
import { CheckFailedError } from "../../errors.js";
import { helperName, helperWiring, ghpatHelperCommand, type GitConfigEntry } from "../../core/git-helper-chain.js";
import { compareCodeUnits, storeOf, type StoreKind, type TokenRecord } from "../../core/record.js";
import { DEFAULT_REMINDER_OPTIONS } from "../../core/reminders.js";
import { routeCredential } from "../../core/routing.js";
import { isBroken, standingOf, type Standing } from "../../core/standing.js";
import { openIndex, openSecretStore, openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { describeExpiry } from "../shared/describe.js";
import { probeHelper, readCredentialConfig, type HelperProbe } from "../shared/git-wiring.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { statusSpec } from "./spec.js";

export type StatusOptions = OptionsOf<typeof statusSpec>;

export interface HostStatus {
  host: string;
  /** Nothing wrong (an expiring or unverified token, or git not wired, is a next step, not a failure). */
  ok: boolean;
  tokens: number;
  /** The token git gets when no --match pattern applies: the host's default, else its only usable token. */
  default: {
    name: string;
    fingerprint: string;
    login: string | null;
    standing: Standing;
    expiresAt: string | null;
    expiryKnown: boolean;
    store: StoreKind;
    /** "default": marked as the host's default; "only": the host's one usable token. */
    via: "default" | "only";
  } | null;
  /** The environment variable git gets instead when no stored token answers. */
  environment: string | null;
  git: { state: "ghpat" | "none" | "shared" | "no-git"; others: string[]; commandWorks: boolean | null };
  problems: string[];
  /** The one thing to do next, or null. */
  next: string | null;
  /** With --verify: whether the API was asked about the default token, and what it said when it could not answer. */
  verified: { asked: boolean; error: string | null };
}

export interface StatusReport {
  ok: boolean;
  store: {
    kind: StoreKind;
    state: "ok" | "locked" | "unavailable" | "not-opened";
    detail: string;
    hint: string | null;
  };
  hosts: HostStatus[];
}

function hostFlag(host: string): string {
  return host === "github.com" ? "" : ` --host ${host}`;
}

async function storeStatus(ctx: Context): Promise<StatusReport["store"]> {
  const kind = storeKind(ctx.env);
  if (kind === "file") {
    // Opening it would ask for the passphrase: status reads no secret.
    const file = secretsFilePath(ctx.env);
    return {
      kind,
      state: "not-opened",
      detail: `the encrypted file store ${file}${existsSync(file) ? "" : ", holding no secret yet"} (not opened: status reads no secret)`,
      hint: null,
    };
  }
  const store = openSecretStore(ctx.env);
  try {
    const health = store.health
      ? await store.health()
      : { state: "ok" as const, detail: `OS keychain (service '${keychainService(ctx.env)}')` };
    return { kind, state: health.state, detail: health.detail, hint: health.hint ?? null };
  } catch (error) {
    return { kind, state: "unavailable", detail: (error as Error).message, hint: "Run 'ghpat doctor'." };
  }
}

/** The token git gets for the host without a path, as git-credential get routes it (src/core/routing.ts). */
function hostDefault(
  host: string,
  tokens: readonly TokenRecord[],
  ctx: Context,
): { record: TokenRecord | null; via: "default" | "only"; environment: string | null } {
  const marked = tokens.find((t) => t.host === host && t.default);
  const route = routeCredential({ protocol: "https", host }, tokens, { env: ctx.env, now: ctx.now() });
  if (marked) return { record: marked, via: "default", environment: route.kind === "env" ? route.variable : null };
  if (route.kind === "stored")
    return { record: route.record, via: route.via === "only" ? "only" : "default", environment: null };
  return { record: null, via: "default", environment: route.kind === "env" ? route.variable : null };
}

/**
 * `ghpat status`: what a person needs to know at a glance, from the index,
 * the keychain's health and git's configuration; the network only with
 * --verify. Exit 1 when a host has a problem.
 */
export async function runStatus(options: StatusOptions, ctx: Context): Promise<StatusReport> {
  let tokens = (await openIndex(ctx.env).read()).tokens;
  const hosts = [...new Set([resolveHost(undefined, ctx.env), ...tokens.map((t) => t.host)])].sort(compareCodeUnits);
  const verifyErrors = new Map<string, string | null>();
  if (options.verify) {
    const chosen = hosts.flatMap((host) => {
      const { record } = hostDefault(host, tokens, ctx);
      return record ? [record] : [];
    });
    if (chosen.length > 0) {
      const vault = openVault(ctx.env);
      const { verifyRecords } = await import("../shared/verify-records.js");
      const outcomes = await verifyRecords(vault, chosen, { timeoutMs: options.timeoutMs }, ctx);
      outcomes.forEach((o) =>
        verifyErrors.set(o.host, o.failure === "unreachable" || o.failure === "bad" ? o.error : null),
      );
      tokens = (await openIndex(ctx.env).read()).tokens;
    }
  }

  const [store, config] = await Promise.all([storeStatus(ctx), readCredentialConfig(ctx.env)]);
  const probes = new Map<string, Promise<HelperProbe>>();
  const probe = (entry: GitConfigEntry): Promise<HelperProbe> => {
    const command = ghpatHelperCommand(entry.value) as string;
    let probed = probes.get(command);
    if (!probed) probes.set(command, (probed = probeHelper(command, ctx.env)));
    return probed;
  };

  const now = ctx.now();
  const report: HostStatus[] = [];
  for (const host of hosts) {
    const mine = tokens.filter((t) => t.host === host);
    const { record, via, environment } = hostDefault(host, tokens, ctx);
    const standing = record ? standingOf(record, now, DEFAULT_REMINDER_OPTIONS.days) : null;
    const wiring = config === null ? null : helperWiring(config, host);
    const results = wiring ? await Promise.all(wiring.ghpat.map(probe)) : [];
    const commandWorks = wiring === null || wiring.ghpat.length === 0 ? null : results.every((r) => r.ok);
    const git: HostStatus["git"] = {
      state: wiring?.state ?? "no-git",
      others: wiring?.foreign.map(helperName) ?? [],
      commandWorks,
    };

    const problems: string[] = [];
    const steps: string[] = [];
    const flag = hostFlag(host);
    if (record === null) {
      if (environment === null) {
        problems.push(
          mine.length === 0
            ? "no token stored"
            : `none of its ${mine.length} tokens may be given to git (expired, revoked or rejected), and none is the default`,
        );
        steps.push(mine.length === 0 ? `ghpat add${flag}` : `ghpat rotate ${mine[0]?.name ?? "NAME"}`);
      }
    } else if (standing !== null && isBroken(standing)) {
      problems.push(
        `the default token '${record.name}' is ${standing}: git gets ${mine.length > 1 ? "another token or none" : "no token"}`,
      );
      steps.push(standing === "rejected" ? `ghpat verify ${record.name}` : `ghpat rotate ${record.name}`);
    }
    const verifyError = verifyErrors.get(host);
    if (verifyError) problems.push(`the API could not confirm '${record?.name ?? "?"}': ${verifyError}`);
    if (git.state === "shared") {
      problems.push(
        `git also runs ${git.others.map((o) => `'${o}'`).join(", ")} for ${host} and hands it the token ghpat gives`,
      );
      steps.push(`ghpat setup-git${flag}`);
    }
    if (commandWorks === false) {
      problems.push("the helper command setup-git wrote no longer starts ghpat");
      steps.push(`ghpat setup-git${flag}`);
    }
    if (record && standing === "expiring") steps.push(`ghpat rotate ${record.name}`);
    if (record && standing === "unverified") steps.push(`ghpat verify ${record.name}`);
    if ((record !== null || environment !== null) && git.state === "none") steps.push(`ghpat setup-git${flag}`);

    report.push({
      host,
      ok: problems.length === 0,
      tokens: mine.length,
      default:
        record && standing
          ? {
              name: record.name,
              fingerprint: record.fingerprint,
              login: record.login,
              standing,
              expiresAt: record.expiresAt,
              expiryKnown: record.expiryKnown,
              store: storeOf(record),
              via,
            }
          : null,
      environment,
      git,
      problems,
      next: steps[0] ?? null,
      verified: { asked: verifyErrors.has(host), error: verifyError ?? null },
    });
  }

  const storeOk = store.state === "ok" || store.state === "not-opened";
  const result: StatusReport = { ok: storeOk && report.every((h) => h.ok), store, hosts: report };
  if (options.json) ctx.out.json(result);
  else ctx.out.data(render(result, tokens, ctx));
  if (!result.ok) {
    const bad = report.filter((h) => !h.ok).map((h) => h.host);
    throw new CheckFailedError(
      storeOk ? `Something needs you for ${bad.join(", ")}.` : `The secret store cannot be used: ${store.detail}`,
      storeOk ? "See the 'next' lines above." : (store.hint ?? "Run 'ghpat doctor'."),
    );
  }
  return result;
}

const MARK = { ok: "✓", attention: "!", problem: "✗" } as const;

function render(report: StatusReport, tokens: readonly TokenRecord[], ctx: Context): string {
  const now = ctx.now();
  const lines: string[] = [];
  const mark = (kind: keyof typeof MARK) =>
    ctx.out.paint(kind === "ok" ? "green" : kind === "attention" ? "yellow" : "red", MARK[kind]);
  for (const h of report.hosts) {
    lines.push(h.host);
    const d = h.default;
    if (d) {
      const record = tokens.find((t) => t.name === d.name);
      const expiry = record ? describeExpiry(record, now) : "";
      const kind = isBroken(d.standing) ? "problem" : d.standing === "valid" ? "ok" : "attention";
      const how = d.standing === "expired" ? expiry : `${d.standing}, ${expiry}`;
      lines.push(
        `  ${mark(kind)} ${d.via === "default" ? "default token" : "only token"} '${d.name}' (${d.fingerprint}${d.login ? `, login ${d.login}` : ""}): ${how}${h.verified.asked ? " (just verified)" : ""}`,
      );
    } else if (h.environment) {
      lines.push(`  ${mark("attention")} no stored token answers; git gets ${h.environment} from the environment`);
    } else {
      lines.push(`  ${mark("problem")} ${h.problems[0] ?? "no token"}`);
    }
    if (h.tokens > 1 || (h.tokens === 1 && !d))
      lines.push(`    ${h.tokens} tokens stored for ${h.host} ('ghpat list --host ${h.host}')`);
    const git = h.git;
    if (git.state === "ghpat")
      lines.push(
        `  ${git.commandWorks === false ? mark("problem") : mark("ok")} git asks ghpat${git.commandWorks === false ? ", but the command no longer starts ghpat" : " alone"} for https://${h.host}`,
      );
    else if (git.state === "shared")
      lines.push(
        `  ${mark("problem")} git asks ghpat and ${git.others.map((o) => `'${o}'`).join(", ")} for https://${h.host}`,
      );
    else if (git.state === "none") lines.push(`  ${mark("attention")} git does not ask ghpat for https://${h.host}`);
    else lines.push(`  ${mark("attention")} git is not on PATH`);
    for (const p of h.problems.slice(d || h.environment ? 0 : 1)) lines.push(`  ${mark("problem")} ${p}`);
    if (h.next) lines.push(`  next: ${h.next}`);
  }
  const s = report.store;
  if (s.state === "not-opened") lines.push(`store: ${s.detail}`);
  else if (s.state === "ok")
    lines.push(`store: ${mark("ok")} OS keychain (service '${keychainService(ctx.env)}'), reachable and unlocked`);
  else lines.push(`store: ${mark("problem")} OS keychain, ${s.state}: ${s.detail}`);
  if (s.hint && s.state !== "ok") lines.push(`  next: ${s.hint}`);
  return lines.join("\n");
}

export const run: RunFunction<typeof statusSpec> = runStatus;

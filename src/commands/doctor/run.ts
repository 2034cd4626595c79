import { resolveHost } from "../../config.js";
import { CheckFailedError, GhpatError } from "../../errors.js";
import type { Index } from "../../core/record.js";
import { openIndex, openSecretStore } from "../../storage/open.js";
import type { SecretStore } from "../../storage/secret-store.js";
import type { Context } from "../shared/context.js";
import { checkApi } from "./api.js";
import { result, type CheckResult, type CheckStatus, type DoctorContext } from "./check.js";
import { checkGitWiring } from "./git-wiring.js";
import { checkIndex } from "./index-file.js";
import { checkNodeVersion } from "./node-version.js";
import { checkOrphans } from "./orphans.js";
import { checkStore } from "./store.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { doctorSpec } from "./spec.js";
import { counted } from "../../core/plural.js";

export type DoctorOptions = OptionsOf<typeof doctorSpec>;

export interface DoctorReport {
  ok: boolean;
  fixed: boolean;
  checks: CheckResult[];
}

const DOCTOR_TIMEOUT_MS = 5_000;

function failed(id: string, title: string, error: unknown): CheckResult {
  const message = error instanceof Error ? error.message : String(error);
  const fix =
    error instanceof GhpatError && error.hint
      ? error.hint
      : "Run 'ghpat doctor' again with GHPAT_DEBUG=1 and report what it says.";
  return result(id, title, "fail", `Could not check: ${message}`, { fix });
}

/** A check that throws is a failed check, never a crashed doctor. */
async function guarded(id: string, title: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return failed(id, title, error);
  }
}

/**
 * Checks the store, the index, their agreement, git's wiring, the API and
 * Node. With `fix`, repairs what it safely can: modes, stale locks and
 * debris, and disagreements between index and store, never deleting a
 * secret that has no record (it gets an `unverified` record instead).
 */
export async function runDoctor(options: DoctorOptions, ctx: Context): Promise<DoctorReport> {
  const d: DoctorContext = {
    env: ctx.env,
    ctx,
    fix: options.fix,
    yes: options.yes,
    timeoutMs: options.timeoutMs ?? DOCTOR_TIMEOUT_MS,
  };
  const checks: CheckResult[] = [checkNodeVersion()];

  let store: SecretStore | null = null;
  let storeCheck: CheckResult;
  try {
    store = openSecretStore(ctx.env);
    storeCheck = await checkStore(store);
  } catch (error) {
    storeCheck = failed("store", "secret store", error);
  }
  checks.push(storeCheck);

  const indexStore = openIndex(ctx.env);
  let index: Index | null = null;
  try {
    const checked = await checkIndex(indexStore, d);
    index = checked.index;
    checks.push(checked.result);
  } catch (error) {
    checks.push(failed("index", "index", error));
  }

  const usable = { store: storeCheck.status === "ok", index: index !== null };
  checks.push(await guarded("orphans", "orphans", () => checkOrphans(indexStore, store, d, usable)));
  checks.push(await guarded("git", "git wiring", () => checkGitWiring(d)));
  // Inside the guard: a bad GH_HOST fails this check, not the whole report (whose --fix repairs are already made).
  const storedHosts = index?.tokens.map((t) => t.host) ?? [];
  checks.push(
    await guarded("api", "API", () => checkApi([...new Set([resolveHost(undefined, ctx.env), ...storedHosts])], d)),
  );

  const report: DoctorReport = { ok: checks.every((c) => c.status !== "fail"), fixed: options.fix, checks };
  if (options.json) ctx.out.json(report);
  else ctx.out.data(render(report, ctx));

  const failures = checks.filter((c) => c.status === "fail").length;
  if (failures > 0) {
    throw new CheckFailedError(
      `${counted(failures, "check")} failed.`,
      options.fix
        ? "What is left needs you: see the fix lines above."
        : "See the fix lines above; 'ghpat doctor --fix' repairs what it safely can.",
    );
  }
  return report;
}

const STATUS_STYLE: Record<CheckStatus, "green" | "yellow" | "red"> = { ok: "green", warn: "yellow", fail: "red" };

function render(report: DoctorReport, ctx: Context): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const indent = " ".repeat(6 + width + 2);
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(
      `${ctx.out.paint(STATUS_STYLE[check.status], check.status.padEnd(4))}  ${check.title.padEnd(width)}  ${check.summary}`,
    );
    for (const detail of check.details) lines.push(`${indent}- ${detail}`);
    for (const repaired of check.repaired) lines.push(`${indent}fixed: ${repaired}`);
    if (check.fix && check.status !== "ok") lines.push(`${indent}fix: ${check.fix}`);
  }
  return lines.join("\n");
}

export const run: RunFunction<typeof doctorSpec> = runDoctor;

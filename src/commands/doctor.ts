import { resolveHost } from "../config.js";
import { CheckFailedError, GhpatError } from "../errors.js";
import type { Index } from "../core/record.js";
import type { IndexStore } from "../storage/index-store.js";
import { openIndex, openSecretStore } from "../storage/open.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { Context } from "./context.js";
import { result, type CheckResult, type CheckStatus, type DoctorContext } from "./doctor/check.js";
import { checkNodeVersion } from "./doctor/node-version.js";

export interface DoctorOptions {
  json: boolean;
  fix: boolean;
  timeoutMs?: number | undefined;
}

export interface DoctorReport {
  ok: boolean;
  fixed: boolean;
  checks: CheckResult[];
}

const DOCTOR_TIMEOUT_MS = 5_000;

/** A check that throws is a failed check, never a crashed doctor. */
async function guarded(id: string, title: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const fix = error instanceof GhpatError && error.hint ? error.hint : "Run 'ghpat doctor' again with GHPAT_DEBUG=1 and report what it says.";
    return result(id, title, "fail", `Could not check: ${message}`, { fix });
  }
}

/**
 * Checks the store, the index, their agreement, git's wiring, the API and
 * Node. With `fix`, repairs what it safely can: modes, stale locks and
 * debris, and disagreements between index and store, never deleting a
 * secret that has no record (it gets an `unverified` record instead).
 */
export async function runDoctor(options: DoctorOptions, ctx: Context): Promise<DoctorReport> {
  const d: DoctorContext = { env: ctx.env, ctx, fix: options.fix, timeoutMs: options.timeoutMs ?? DOCTOR_TIMEOUT_MS };
  const checks: CheckResult[] = [checkNodeVersion()];

  let store: SecretStore | null = null;
  try {
    store = openSecretStore(ctx.env);
  } catch (error) {
    checks.push(result("store", "secret store", "fail", (error as Error).message, { fix: error instanceof GhpatError ? error.hint ?? null : null }));
  }
  const opened = store;
  const storeCheck = opened
    ? await guarded("store", "secret store", async () => {
        const { checkStore } = await import("./doctor/store.js");
        return checkStore(opened);
      })
    : null;
  if (storeCheck) checks.push(storeCheck);

  const indexStore: IndexStore = openIndex(ctx.env);
  let index: Index | null = null;
  checks.push(
    await guarded("index", "index", async () => {
      const { checkIndex } = await import("./doctor/index-file.js");
      const checked = await checkIndex(indexStore, d);
      index = checked.index;
      return checked.result;
    }),
  );
  const readIndex: Index | null = index;

  checks.push(
    await guarded("orphans", "orphans", async () => {
      const { checkOrphans } = await import("./doctor/orphans.js");
      return checkOrphans(indexStore, opened, d, { store: storeCheck?.status === "ok", index: readIndex !== null });
    }),
  );

  checks.push(
    await guarded("git", "git wiring", async () => {
      const { checkGitWiring } = await import("./doctor/git-wiring.js");
      return checkGitWiring(d);
    }),
  );

  const hosts = [...new Set([resolveHost(undefined, ctx.env), ...((readIndex as Index | null)?.tokens.map((t) => t.host) ?? [])])];
  checks.push(
    await guarded("api", "API", async () => {
      const { checkApi } = await import("./doctor/api.js");
      return checkApi(hosts, d);
    }),
  );

  const report: DoctorReport = { ok: checks.every((c) => c.status !== "fail"), fixed: options.fix, checks };
  if (options.json) ctx.out.json(report);
  else ctx.out.data(render(report, ctx));

  const failed = checks.filter((c) => c.status === "fail").length;
  if (failed > 0) {
    throw new CheckFailedError(
      `${failed} check${failed === 1 ? "" : "s"} failed.`,
      options.fix ? "What is left needs you: see the fix lines above." : "See the fix lines above; 'ghpat doctor --fix' repairs what it safely can.",
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
    lines.push(`${ctx.out.paint(STATUS_STYLE[check.status], check.status.padEnd(4))}  ${check.title.padEnd(width)}  ${check.summary}`);
    for (const detail of check.details) lines.push(`${indent}- ${detail}`);
    for (const repaired of check.repaired) lines.push(`${indent}fixed: ${repaired}`);
    if (check.fix && check.status !== "ok") lines.push(`${indent}fix: ${check.fix}`);
  }
  return lines.join("\n");
}

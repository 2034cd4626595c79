import { configDir, indexPath, resolveHost } from "../../config.js";
import { mapWithConcurrency } from "../../core/concurrency.js";
import { hasControls, quoted } from "../../core/controls.js";
import { counted, plural } from "../../core/plural.js";
import {
  compareFindings,
  publicFinding,
  type Finding,
  type FoundToken,
  type LiveState,
} from "../../core/scan/finding.js";
import { StoredTokens } from "../../core/scan/identify.js";
import { advice, githubAnnotations, kindWords, sarifLog } from "../../core/scan/report.js";
import type { TokenRecord } from "../../core/record.js";
import { CheckFailedError, UsageError } from "../../errors.js";
import { IndexReader } from "../../storage/index-reader.js";
import { readScanKey } from "../../storage/scan-key.js";
import { handledSecrets } from "../../ui/redact.js";
import { VERSION } from "../../version.js";
import type { Context } from "../shared/context.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { HISTORY_ARGS, STAGED_ARGS, scanDiff } from "./diffs.js";
import { emptyStats, inWorkTree, listFiles, scanFiles, type FileToScan, type ScanStats } from "./files.js";
import { dockerAuthTokens, homeTargets } from "./home.js";
import type { scanSpec } from "./spec.js";

export type ScanOptions = OptionsOf<typeof scanSpec>;
type Format = "text" | "json" | "sarif" | "github";

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `10M`, `512k`, `1048576`: bytes, the suffixes binary (K = 1024). */
export function parseSize(text: string): number {
  const match = /^(\d+)\s*([kmg]?)(i?b)?$/i.exec(text.trim());
  if (!match)
    throw new UsageError(
      `--max-file-size ${JSON.stringify(text)} is not a size.`,
      "Give bytes, or a number with K, M or G: --max-file-size 10M.",
    );
  return Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] as number);
}

function formatOf(options: ScanOptions): Format {
  if (options.json && options.format !== undefined && options.format !== "json")
    throw new UsageError(`--json and --format ${options.format} ask for two formats.`, "Give one of them.");
  return options.json ? "json" : (options.format ?? "text");
}

export interface ScanSummary {
  findings: Finding[];
  stats: ScanStats & { lookAlikes: number; commits: number };
  /** Stored tokens scan could not name: records without a keyed hash under this install's key. */
  unnamedStored: number;
}

export async function runScan(options: ScanOptions, ctx: Context): Promise<ScanSummary | undefined> {
  if (options.paths[0] === "install-hook") {
    const { installHook } = await import("./install-hook.js");
    await installHook(options.paths.slice(1), { force: options.force }, ctx);
    return undefined;
  }
  if (options.force) throw new UsageError("--force is for 'ghpat scan install-hook'.", "Drop --force.");
  const format = formatOf(options);
  const maxBytes = options.maxFileSize === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(options.maxFileSize);
  const cwd = process.cwd();
  const stats = { ...emptyStats(), lookAlikes: 0, commits: 0 };
  const found: FoundToken[] = [];

  const fromGit = options.staged || options.history;
  if (fromGit) {
    for (const dir of options.paths.length > 0 ? options.paths : [cwd]) {
      if (!(await inWorkTree(dir, ctx.env)))
        throw new UsageError(
          `${dir} is not in a git work tree, so it has no ${options.staged ? "index" : "history"} to scan.`,
          "Run it inside a repository, or drop --staged and --history to scan files.",
        );
      for (const [wanted, args, source] of [
        [options.staged, STAGED_ARGS, "staged"],
        [options.history, HISTORY_ARGS, "history"],
      ] as const) {
        if (!wanted) continue;
        const diff = await scanDiff(args, dir, source, ctx.env, found);
        stats.binary += diff.binary;
        stats.commits += diff.commits;
        stats.files += diff.files;
      }
    }
  }

  const targets = new Map<string, FileToScan>();
  if (!fromGit && (options.paths.length > 0 || !options.home)) {
    for (const path of await listFiles(
      options.paths.length > 0 ? options.paths : [cwd],
      options.allFiles,
      ctx.env,
      stats,
    ))
      targets.set(path, { path, source: "file" });
  }
  if (options.home) {
    for (const target of await homeTargets(ctx.env, cwd))
      if (!targets.has(target.path)) targets.set(target.path, target);
    found.push(...(await dockerAuthTokens(ctx.env)));
  }
  await scanFiles([...targets.values()], maxBytes, stats, found);

  const kept = found.filter(({ finding }) => finding.checksum !== "invalid" || options.includeInvalid);
  stats.lookAlikes = found.filter(({ finding }) => finding.checksum === "invalid").length;
  for (const { token } of kept) handledSecrets.add(token);

  const stored = await storedTokens(ctx);
  for (const entry of kept) {
    const record = entry.finding.checksum === "invalid" ? null : stored.identify(entry.token);
    if (record) {
      entry.finding.name = record.name;
      entry.finding.host = record.host;
    }
  }
  if (options.verify) await verifyFound(kept, options.timeoutMs, ctx);

  const findings = kept.map((entry) => entry.finding).sort(compareFindings);
  const summary: ScanSummary = { findings, stats, unnamedStored: stored.unkeyed };
  print(format, summary, maxBytes, ctx);
  // Look-alikes shown by --include-invalid are no tokens: they alone never fail the scan.
  const tokens = findings.filter((f) => f.checksum !== "invalid");
  if (tokens.length > 0) {
    const yours = tokens.filter((f) => f.name !== null).length;
    throw new CheckFailedError(
      `Found ${counted(tokens.length, "GitHub token")}${yours > 0 ? `, ${yours} of them yours` : ""}.`,
      yours > 0
        ? "Rotate each of yours ('ghpat rotate NAME'), revoke the others, and remove the copies (from the history too, if they were committed)."
        : "Revoke each where it was created, and remove the copies (from the history too, if they were committed).",
    );
  }
  return summary;
}

/** The records and this install's scan key, read without opening any secret store; an unreadable index names nothing. */
async function storedTokens(ctx: Context): Promise<StoredTokens> {
  let records: TokenRecord[] = [];
  try {
    records = (await new IndexReader(indexPath(ctx.env)).read()).tokens;
  } catch (error) {
    ctx.out.warn(`The index could not be read, so no finding is named: ${(error as Error).message}`);
  }
  let key: Buffer | null = null;
  try {
    key = readScanKey(configDir(ctx.env));
  } catch {
    key = null;
  }
  return new StoredTokens(records, key);
}

/** One request per distinct token; only a 401 is "inactive", and no answer (timeout, rate limit) is "unknown". */
async function verifyFound(found: readonly FoundToken[], timeoutMs: number | undefined, ctx: Context): Promise<void> {
  const { checkToken } = await import("../../github/user.js");
  const distinct = [
    ...new Map(found.filter((f) => f.finding.checksum !== "invalid").map((f) => [f.token, f])).values(),
  ];
  const states = new Map<string, LiveState>();
  await mapWithConcurrency(distinct, 4, async ({ token, finding }) => {
    const host = finding.host ?? resolveHost(undefined, ctx.env);
    const result = await checkToken(host, token, finding.kind, { timeoutMs, env: ctx.env });
    states.set(
      token,
      result.kind === "ok" || result.kind === "sso-required"
        ? "active"
        : result.kind === "rejected"
          ? "inactive"
          : "unknown",
    );
  });
  for (const { token, finding } of found)
    if (finding.checksum !== "invalid") finding.live = states.get(token) ?? "unknown";
}

function print(format: Format, summary: ScanSummary, maxBytes: number, ctx: Context): void {
  const { findings } = summary;
  switch (format) {
    case "json":
      ctx.out.json({
        findings: findings.map(publicFinding),
        stats: summary.stats,
        unnamedStored: summary.unnamedStored,
      });
      break;
    case "sarif":
      ctx.out.json(sarifLog(findings, { version: VERSION, informationUri: "https://www.npmjs.com/package/ghpat" }));
      break;
    case "github":
      for (const line of githubAnnotations(findings)) ctx.out.data(line);
      break;
    case "text":
      for (const finding of findings) ctx.out.data(textFinding(finding, ctx));
      break;
  }
  ctx.out.info(summaryLine(summary, maxBytes));
}

function textFinding(finding: Finding, ctx: Context): string {
  // A file name is the scanned tree's to choose: one with control characters is shown quoted.
  const file = hasControls(finding.file) ? quoted(finding.file) : finding.file;
  const where = `${finding.commit === null ? "" : `${finding.commit.slice(0, 12)}:`}${file}:${finding.line}:${finding.column}`;
  const paint = (style: "red" | "yellow" | "green", text: string) =>
    ctx.out.colors ? ctx.out.paint(style, text) : text;
  const who =
    finding.name !== null
      ? paint("red", `yours: '${finding.name}' (${finding.host})`)
      : finding.checksum === "invalid"
        ? paint("yellow", "look-alike (checksum fails)")
        : "not one of yours";
  const live = finding.live === undefined ? "" : `, ${finding.live}`;
  return [
    `${where}: ${kindWords(finding.kind)} ${finding.fingerprint}, ${who}${live}`,
    `    ${finding.excerpt}`,
    `    ${advice(finding)}`,
  ].join("\n");
}

function summaryLine(summary: ScanSummary, maxBytes: number): string {
  const { stats, findings } = summary;
  const skipped = [
    stats.binary > 0 ? `${counted(stats.binary, "binary file")}` : "",
    stats.tooLarge > 0 ? `${stats.tooLarge} over ${sizeWords(maxBytes)}` : "",
    stats.symlinks > 0 ? `${counted(stats.symlinks, "symlink")} not followed` : "",
    stats.unreadable > 0 ? `${stats.unreadable} unreadable` : "",
  ].filter((s) => s !== "");
  const scanned =
    stats.commits > 0
      ? `Scanned ${counted(stats.commits, "commit")} (${counted(stats.files, "changed file")})`
      : `Scanned ${counted(stats.files, "file")}`;
  const tokens = findings.filter((f) => f.checksum !== "invalid").length;
  const lines = [
    `${scanned}${skipped.length > 0 ? `, skipped ${skipped.join(", ")}` : ""}${tokens === 0 ? ": no GitHub token found" : ""}.`,
  ];
  if (stats.lookAlikes > 0)
    lines.push(
      `${counted(stats.lookAlikes, "look-alike")} with a failing checksum ${plural(stats.lookAlikes, "was", "were")} ${findings.some((f) => f.checksum === "invalid") ? "shown" : "dropped (--include-invalid shows them)"}.`,
    );
  if (summary.unnamedStored > 0)
    lines.push(
      `${counted(summary.unnamedStored, "stored token")} cannot be named yet; run 'ghpat verify' once so that scan recognises ${plural(summary.unnamedStored, "it", "them")}.`,
    );
  return lines.join("\n");
}

function sizeWords(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export const run: RunFunction<typeof scanSpec> = runScan;

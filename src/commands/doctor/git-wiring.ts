import { spawn } from "node:child_process";
import { childEnvironment } from "../../config.js";
import { VERSION } from "../../version.js";
import type { CheckResult, DoctorContext } from "./check.js";
import { Findings } from "./findings.js";

export interface GitConfigEntry {
  origin: string;
  key: string;
  value: string;
}

/** `git config --null --show-origin` output: `origin NUL key LF value NUL`, repeated. */
export function parseGitConfigList(output: string): GitConfigEntry[] {
  const fields = output.split("\0");
  const entries: GitConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const origin = fields[i] ?? "";
    const keyValue = fields[i + 1] ?? "";
    const newline = keyValue.indexOf("\n");
    entries.push(newline < 0 ? { origin, key: keyValue, value: "" } : { origin, key: keyValue.slice(0, newline), value: keyValue.slice(newline + 1) });
  }
  return entries;
}

/** `!<command> git-credential`, as setup-git writes it, naming ghpat. */
export function ghpatHelperCommand(value: string): string | null {
  const match = /^!(.*\S)\s+git-credential\s*$/s.exec(value);
  if (!match?.[1] || !/ghpat/i.test(match[1])) return null;
  return match[1];
}

/** `credential.helper` → "" (every URL); `credential.https://host.helper` → "https://host"; other keys → null. */
function helperScope(key: string): string | null {
  const lower = key.toLowerCase();
  if (!lower.startsWith("credential.") || !lower.endsWith(".helper")) return null;
  return key.slice("credential.".length, -".helper".length).replace(/\.$/, "");
}

/**
 * The helpers git runs for `url`, in order: git collects `credential.helper`
 * values from every matching section and an empty value clears the list.
 * Only the exact URL sections that setup-git writes are considered.
 */
export function effectiveHelpers(entries: readonly GitConfigEntry[], url: string): GitConfigEntry[] {
  let chain: GitConfigEntry[] = [];
  for (const entry of entries) {
    const scope = helperScope(entry.key);
    if (scope === null || (scope !== "" && scope !== url)) continue;
    chain = entry.value === "" ? [] : [...chain, entry];
  }
  return chain;
}

function run(command: string, args: string[], d: DoctorContext, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: childEnvironment(d.env), stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", (error) => resolve({ code: null, stdout, stderr, error: error.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Does the helper command still start ghpat? Asked with --version, so nothing is read or printed. */
async function probeHelper(command: string, d: DoctorContext): Promise<{ ok: true; version: string } | { ok: false; why: string }> {
  const outcome = await run("sh", ["-c", `${command} --version`], d, 10_000);
  const version = outcome.stdout.trim();
  if (outcome.code === 0 && /^\d+\.\d+\.\d+/.test(version)) return { ok: true, version };
  const why = outcome.error ?? (outcome.stderr.trim().split("\n")[0] || `exit ${outcome.code ?? "killed"}`);
  return { ok: false, why };
}

/** The git credential helpers setup-git configured: do they still run ghpat, and is ghpat the only one git asks? */
export async function checkGitWiring(d: DoctorContext): Promise<CheckResult> {
  const f = new Findings();
  const title = "git wiring";
  if (process.platform === "win32") {
    f.note("Not checked on Windows.");
    return f.toResult("git", title, "Not checked on Windows.");
  }
  const listed = await run("git", ["config", "--null", "--show-origin", "--get-regexp", "^credential\\."], d, 10_000);
  if (listed.error) {
    f.problem("warn", "git is not on PATH, so ghpat cannot be its credential helper here.", "Install git if you use ghpat with git.");
    return f.toResult("git", title, "");
  }
  const entries = parseGitConfigList(listed.code === 0 ? listed.stdout : "");
  const ours = entries.filter((e) => helperScope(e.key) !== null && ghpatHelperCommand(e.value) !== null);
  if (ours.length === 0) return f.toResult("git", title, "git is not set up to use ghpat (optional: 'ghpat setup-git').", { helpers: [] });

  const probed = new Map<string, Awaited<ReturnType<typeof probeHelper>>>();
  const chainsChecked = new Set<string>();
  const helpers = [];
  for (const entry of ours) {
    const command = ghpatHelperCommand(entry.value) as string;
    const url = helperScope(entry.key) as string;
    const where = `${entry.key} in ${entry.origin.replace(/^file:/, "")}`;
    if (!probed.has(command)) probed.set(command, await probeHelper(command, d));
    const probe = probed.get(command) as Awaited<ReturnType<typeof probeHelper>>;
    helpers.push({ key: entry.key, origin: entry.origin, command, works: probe.ok });
    if (!probe.ok) {
      f.problem("fail", `${where} runs '${command}', which no longer starts ghpat (${probe.why}).`, "Run 'ghpat setup-git' again with the ghpat you use now.");
    } else if (probe.version !== VERSION) {
      f.problem("warn", `${where} runs ghpat ${probe.version}, but this is ghpat ${VERSION}.`, "Run 'ghpat setup-git' with the ghpat you mean git to use.");
    } else {
      f.note(`${where} runs ghpat ${probe.version}.`);
    }
    if (chainsChecked.has(url)) continue;
    chainsChecked.add(url);
    const others = effectiveHelpers(entries, url).filter((e) => ghpatHelperCommand(e.value) === null);
    for (const other of others) {
      const name = other.value.trim();
      const target = url || "every host";
      if (/^store(\s|$)/.test(name)) {
        f.problem("fail", `git also hands ${target}'s tokens to the 'store' helper (${other.key} in ${other.origin.replace(/^file:/, "")}), which writes them in plain text to ~/.git-credentials.`, `Run 'ghpat setup-git' (it clears the helper list for the host first), or remove that helper.`);
      } else {
        f.problem("warn", `git also asks the '${name}' helper for ${target} (${other.key}), and hands it the tokens ghpat gives.`, "Run 'ghpat setup-git' to make ghpat the only helper for that host.");
      }
    }
  }
  return f.toResult("git", title, `git uses ghpat for ${ours.map((e) => helperScope(e.key) || "every host").join(", ")}, and the command runs.`, { helpers });
}

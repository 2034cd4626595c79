import {
  describeEntry,
  ghpatHelperCommand,
  helperName,
  helperSubsection,
  helperWiring,
} from "../../core/git-helper-chain.js";
import { VERSION } from "../../version.js";
import { probeHelper, readCredentialConfig, type HelperProbe } from "../shared/git-wiring.js";
import type { CheckResult, DoctorContext } from "./check.js";
import { Findings } from "./findings.js";

/** `credential.https://host.helper` → "host"; `credential.helper` → null (every host). */
function hostOf(subsection: string): string | null {
  const match = /^https:\/\/([^/@]+)\/?$/i.exec(subsection);
  return match?.[1] ?? null;
}

/**
 * The git credential helpers setup-git configured: do they still run ghpat,
 * and is ghpat the only helper git runs for each host (the check setup-git
 * makes too: src/commands/shared/git-wiring.ts)?
 */
export async function checkGitWiring(d: DoctorContext): Promise<CheckResult> {
  const f = new Findings();
  const title = "git wiring";
  if (process.platform === "win32") {
    f.note("Not checked on Windows.");
    return f.toResult("git", title, "Not checked on Windows.");
  }
  const entries = await readCredentialConfig(d.env);
  if (entries === null) {
    f.problem(
      "warn",
      "git is not on PATH, so ghpat cannot be its credential helper here.",
      "Install git if you use ghpat with git.",
    );
    return f.toResult("git", title, "");
  }
  const ours = entries.filter((e) => helperSubsection(e.key) !== null && ghpatHelperCommand(e.value) !== null);
  if (ours.length === 0)
    return f.toResult("git", title, "git is not set up to use ghpat (optional: 'ghpat setup-git').", { helpers: [] });

  const probed = new Map<string, HelperProbe>();
  const hostsChecked = new Set<string>();
  const helpers = [];
  for (const entry of ours) {
    const command = ghpatHelperCommand(entry.value) as string;
    const subsection = helperSubsection(entry.key) as string;
    const where = describeEntry(entry);
    if (!probed.has(command)) probed.set(command, await probeHelper(command, d.env));
    const probe = probed.get(command) as HelperProbe;
    helpers.push({ key: entry.key, origin: entry.origin, command, works: probe.ok });
    if (!probe.ok) {
      f.problem(
        "fail",
        `${where} runs '${command}', which no longer starts ghpat (${probe.why}).`,
        "Run 'ghpat setup-git' again with the ghpat you use now.",
      );
    } else if (probe.version !== VERSION) {
      f.problem(
        "warn",
        `${where} runs ghpat ${probe.version}, but this is ghpat ${VERSION}.`,
        "Run 'ghpat setup-git' with the ghpat you mean git to use.",
      );
    } else {
      f.note(`${where} runs ghpat ${probe.version}.`);
    }
    const host = subsection === "" ? "github.com" : hostOf(subsection);
    if (host === null || hostsChecked.has(host)) continue;
    hostsChecked.add(host);
    const wiring = helperWiring(entries, host);
    const setup = `ghpat setup-git${host === "github.com" ? "" : ` --host ${host}`}`;
    if (wiring.state === "none") {
      f.problem(
        "warn",
        `git no longer asks ghpat for ${wiring.url}: an empty credential helper read after ${where} clears it.`,
        `Run '${setup}' to make ghpat the last word for that host.`,
      );
      continue;
    }
    for (const other of wiring.foreign) {
      const name = helperName(other);
      if (/^store(\s|$)/.test(name)) {
        f.problem(
          "fail",
          `git also hands ${wiring.url}'s tokens to the 'store' helper (${describeEntry(other)}), which writes them in plain text to ~/.git-credentials.`,
          `Run '${setup}' (it makes ghpat's reset the last word for the host), or remove that helper.`,
        );
      } else {
        f.problem(
          "warn",
          `git also asks the '${name}' helper for ${wiring.url} (${describeEntry(other)}), and hands it the tokens ghpat gives.`,
          `Run '${setup}' to make ghpat the only helper for that host.`,
        );
      }
    }
  }
  return f.toResult(
    "git",
    title,
    `git uses ghpat for ${[...new Set(ours.map((e) => helperSubsection(e.key) || "every host"))].join(", ")}, and the command runs.`,
    { helpers },
  );
}

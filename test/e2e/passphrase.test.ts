import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canaryToken } from "../helpers/canary.js";
import { recordChildEnvironments } from "../helpers/child-env-recorder.js";
import { BIN, type RunResult, type Sandbox } from "../helpers/sandbox.js";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/suite.js";

/**
 * A command for `exec` that copies its own environment and, with `parent`,
 * its parent's (ghpat's, as /proc shows it to any program of the user) into
 * a file the sandbox scans for canaries, the passphrase among them.
 */
function environProbe(sb: Sandbox, name: string, options: { parent: boolean }): string[] {
  const file = join(sb.dir, `${name}.environ`);
  sb.watchFile(file);
  // The token exec hands over is meant to be there: its variables are left out of the copy of the command's own environment.
  const own = `fs.readFileSync("/proc/self/environ", "utf8").split("\\0").filter((v) => !/^(GH_|GITHUB_)(ENTERPRISE_)?TOKEN=/.test(v)).join("\\0")`;
  const parent = options.parent ? ` + fs.readFileSync("/proc/" + process.ppid + "/environ", "utf8")` : "";
  const copy = `const fs = require("node:fs"); fs.writeFileSync(${JSON.stringify(file)}, ${own}${parent}); process.stdout.write("copied")`;
  return [process.execPath, "-e", copy];
}

describe("the file store's passphrase never reaches another program", () => {
  const { sandbox } = useWorld({ store: "file" });

  async function stored(sb: Sandbox): Promise<string> {
    const token = sb.canary(canaryToken());
    const added = await sb.run(["add", "work", "--stdin", "--no-verify"], { input: token });
    expect(added.code, added.stderr).toBe(0);
    return token;
  }

  function passphraseFile(sb: Sandbox, mode: number): string {
    const dir = join(sb.dir, "secrets");
    mkdirSync(dir, { mode: 0o700, recursive: true });
    const file = join(dir, "passphrase");
    writeFileSync(file, `${sb.passphrase}\n`);
    chmodSync(file, mode);
    return file;
  }

  it("doctor runs git (and so the configured helper) without it: a stand-in git records its environment", async () => {
    const sb = sandbox();
    await stored(sb);
    expect((await sb.run(["setup-git"])).code).toBe(0);
    const recorder = recordChildEnvironments(sb);
    // sb.run scans the recorded environments for the passphrase (a canary) after the run.
    const doctor = await sb.run(["doctor", "--json"], { env: { PATH: `${recorder.binDir}:${sb.env.PATH}` } });
    expect(doctor.stdout).toContain('"checks"');
    const environments = recorder.environments();
    expect(environments.length).toBeGreaterThan(0);
    for (const env of environments) {
      expect(env.GHPAT_PASSPHRASE).toBeUndefined();
      expect(env.GHPAT_CONFIG_DIR).toBe(sb.configDir);
    }
  });

  it("exec's command finds it in no environment when it comes from GHPAT_PASSPHRASE_FILE", async () => {
    const sb = sandbox();
    await stored(sb);
    const file = passphraseFile(sb, 0o600);
    const env = { GHPAT_PASSPHRASE: undefined, GHPAT_PASSPHRASE_FILE: file };
    // The scan after the run finds the passphrase in neither copied environment.
    const probe = await sb.run(["exec", "work", "--", ...environProbe(sb, "from-file", { parent: true })], { env });
    expect(probe.code, probe.stderr).toBe(0);
    expect(probe.stdout).toBe("copied");
    // With the variable, ghpat's children still never inherit it (what /proc shows of ghpat itself, it cannot change: see the README).
    const fromVariable = await sb.run(["exec", "work", "--", ...environProbe(sb, "from-variable", { parent: false })]);
    expect(fromVariable.code, fromVariable.stderr).toBe(0);
    expect(fromVariable.stdout).toBe("copied");
  });

  it("GHPAT_PASSPHRASE_FILE opens the store only when it is readable by you alone", async () => {
    const sb = sandbox();
    const token = await stored(sb);
    for (const mode of [0o600, 0o400]) {
      const ok = await sb.run(["token", "work"], {
        env: { GHPAT_PASSPHRASE: undefined, GHPAT_PASSPHRASE_FILE: passphraseFile(sb, mode) },
        secretOnStdout: true,
      });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toBe(`${token}\n`);
    }
    for (const mode of [0o640, 0o644, 0o620]) {
      const file = passphraseFile(sb, mode);
      const refused = await sb.run(["token", "work"], {
        env: { GHPAT_PASSPHRASE: undefined, GHPAT_PASSPHRASE_FILE: file },
      });
      expect(refused.code, `mode ${mode.toString(8)}: ${refused.stderr}`).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain(`The passphrase file (GHPAT_PASSPHRASE_FILE) ${file}`);
    }
    // A directory others may write to could have the file swapped.
    const file = passphraseFile(sb, 0o600);
    chmodSync(join(sb.dir, "secrets"), 0o777);
    const swappable = await sb.run(["token", "work"], {
      env: { GHPAT_PASSPHRASE: undefined, GHPAT_PASSPHRASE_FILE: file },
    });
    expect(swappable.code).toBe(2);
    expect(swappable.stdout).toBe("");
  });

  it("reads it from a descriptor (--passphrase-fd), which puts it in no environment", async () => {
    const sb = sandbox();
    const token = await stored(sb);
    const probe = await runWithPassphraseOnFd(
      sb,
      ["exec", "work", "--", ...environProbe(sb, "from-fd", { parent: true })],
      `${sb.passphrase}\n`,
    );
    expect(probe.code, probe.stderr).toBe(0);
    expect(probe.stdout).toBe("copied");
    const printed = await runWithPassphraseOnFd(sb, ["token", "work"], sb.passphrase);
    expect(printed.stdout).toBe(`${token}\n`);
    const wrong = await runWithPassphraseOnFd(sb, ["token", "work"], "not the passphrase");
    expect(wrong.code).toBe(4);
    expect(wrong.stdout).toBe("");
    for (const fd of ["2", "three", "-1"]) {
      const refused = await sb.run(["--passphrase-fd", fd, "token", "work"], { env: { GHPAT_PASSPHRASE: undefined } });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("--passphrase-fd");
    }
  });
});

/** Runs the CLI as `ghpat --passphrase-fd 3 ARGS`, with the passphrase written to its descriptor 3. */
function runWithPassphraseOnFd(sb: Sandbox, args: string[], passphrase: string): Promise<RunResult> {
  const env: Record<string, string> = { ...sb.env };
  delete env.GHPAT_PASSPHRASE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "--passphrase-fd", "3", ...args], {
      env,
      cwd: sb.dir,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const fd3 = child.stdio[3] as NodeJS.WritableStream;
    fd3.end(passphrase);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = { code, signal: null, stdout, stderr };
      try {
        sb.assertNoLeak(result, { stdout: false });
        resolve(result);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

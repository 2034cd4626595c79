import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { secretToolLookup } from "../helpers/keyring.js";
import type { RunOptions, Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

const env = keyringEnv ?? {};
const mode = (path: string) => statSync(path).mode & 0o777;

/**
 * Runs commands against `dir` made read-only. As root, permission bits do
 * not stop writes, so the directory is bind-mounted read-only in a private
 * user and mount namespace; otherwise it is chmodded 0500.
 */
function readOnly(dir: string): Pick<RunOptions, "wrap"> {
  if (process.getuid?.() === 0)
    return {
      wrap: [
        "unshare",
        "--user",
        "--map-root-user",
        "--mount",
        "sh",
        "-c",
        'mount --bind -o ro "$0" "$0" && exec "$@"',
        dir,
      ],
    };
  chmodSync(dir, 0o500);
  return {};
}

describeKeychain("file-system faults", () => {
  const { sandbox } = useWorld();

  async function seeded(): Promise<{ sb: Sandbox; keeper: string; before: string }> {
    const sb = sandbox();
    const keeper = sb.canary(canaryToken());
    sb.seed([{ name: "keeper", token: keeper }]);
    return { sb, keeper, before: sb.readIndexText() ?? "" };
  }

  it("a read-only config directory: a clear error, nothing half-written, no secret stored or deleted", async () => {
    const { sb, keeper, before } = await seeded();
    const files = readdirSync(sb.configDir).sort();
    const ro = readOnly(sb.configDir);
    const token = sb.canary(canaryToken());
    const unwritable =
      /config directory .* (is on a read-only file system|is not writable by you); ghpat changed nothing/;
    for (const [args, input] of [
      [["add", "new", "--stdin", "--no-verify"], token],
      [["add", "keeper", "--stdin", "--no-verify", "--force"], token],
      [["remove", "keeper", "--yes"], ""],
      [["default", "keeper"], ""],
    ] as const) {
      const result = await sb.run([...args], { ...ro, input });
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(unwritable);
      expect(result.stderr).toContain("GHPAT_CONFIG_DIR");
    }
    expect((await sb.run(["list"], ro)).code).toBe(0);
    expect((await sb.run(["token", "keeper"], { ...ro, secretOnStdout: true })).stdout).toBe(`${keeper}\n`);
    const doctor = await sb.run(["doctor", "--json"], ro);
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "index")).toMatchObject({
      status: "fail",
      summary: expect.stringMatching(/read-only|not writable/),
    });

    chmodSync(sb.configDir, 0o700);
    expect(sb.readIndexText()).toBe(before);
    expect(readdirSync(sb.configDir).sort()).toEqual(files);
    expect(secretToolLookup({ env }, sb.service, "github.com/keeper")).toBe(keeper);
    expect(secretToolLookup({ env }, sb.service, "github.com/new")).toBeNull();
  });

  it("an index others can write is refused (like ssh's StrictModes) until it is chmodded; doctor --fix does it", async () => {
    const { sb, before } = await seeded();
    chmodSync(sb.indexPath(), 0o666);
    const token = sb.canary(canaryToken());
    for (const [args, input] of [
      [["list"], ""],
      [["token", "keeper"], ""],
      [["add", "new", "--stdin", "--no-verify"], token],
      [["remove", "keeper", "--yes"], ""],
    ] as const) {
      const result = await sb.run([...args], { input });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("is writable by group and others (mode 0666)");
      expect(result.stderr).toContain(`chmod 600 ${sb.indexPath()}`);
    }
    expect(mode(sb.indexPath())).toBe(0o666);
    expect(sb.readIndexText()).toBe(before);
    expect(secretToolLookup({ env }, sb.service, "github.com/new")).toBeNull();

    const doctor = await sb.run(["doctor", "--json"]);
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "index")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining(`chmod 600 ${sb.indexPath()}`),
    });
    const fixed = await sb.run(["doctor", "--fix", "--json"]);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(JSON.parse(fixed.stdout).checks.find((c: { id: string }) => c.id === "index").repaired).toEqual([
      expect.stringContaining("chmod 600"),
    ]);
    expect(mode(sb.indexPath())).toBe(0o600);
    expect((await sb.run(["list"])).code).toBe(0);
  });

  it("a directory others can write is refused too", async () => {
    const { sb } = await seeded();
    chmodSync(sb.configDir, 0o777);
    const result = await sb.run(["list"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`chmod 700 ${sb.configDir}`);
    expect((await sb.run(["doctor", "--fix"])).code).toBe(0);
    expect(mode(sb.configDir)).toBe(0o700);
  });

  it("an index or directory others can only read is tightened to 0600 / 0700 on the next read", async () => {
    const { sb } = await seeded();
    chmodSync(sb.indexPath(), 0o644);
    chmodSync(sb.configDir, 0o755);
    const doctor = await sb.run(["doctor", "--json"]);
    const index = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "index");
    expect(index.status).toBe("warn");
    expect((await sb.run(["list"])).code).toBe(0);
    expect(mode(sb.indexPath())).toBe(0o600);
    expect(mode(sb.configDir)).toBe(0o700);
  });

  it("a directory where the index should be: exit 2 naming it, for readers, writers and git alike, and nothing changed", async () => {
    const sb = sandbox();
    mkdirSync(sb.indexPath(), { recursive: true, mode: 0o755 });
    for (const [args, input] of [
      [["list"], ""],
      [["add", "x", "--stdin", "--no-verify"], sb.canary(canaryToken())],
      [["git-credential", "get"], "protocol=https\nhost=github.com\n\n"],
    ] as const) {
      const result = await sb.run([...args], { input });
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`${sb.indexPath()} is not valid: it is a directory`);
    }
    expect(statSync(sb.indexPath()).isDirectory()).toBe(true);
    expect(mode(sb.indexPath())).toBe(0o755);
    expect(sb.storedSecret("github.com/x")).toBeNull();
  });

  it("a symlinked index is read through but never written through: the file outside stays as it was", async () => {
    const sb = sandbox();
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
    const outside = join(sb.dir, "outside.json");
    const outsideText = JSON.stringify({ version: 1, tokens: [] });
    writeFileSync(outside, outsideText, { mode: 0o600 });
    symlinkSync(outside, sb.indexPath());
    const token = sb.canary(canaryToken());
    expect((await sb.run(["list"])).code).toBe(0);
    const add = await sb.run(["add", "x", "--stdin", "--no-verify"], { input: token });
    expect(add.code).toBe(2);
    expect(add.stderr).toContain("is a symbolic link; ghpat will not write through it");
    expect(readFileSync(outside, "utf8")).toBe(outsideText);
    // The secret written before the index was refused is taken back.
    expect(secretToolLookup({ env }, sb.service, "github.com/x")).toBeNull();
    const doctor = await sb.run(["doctor", "--json"]);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "index")).toMatchObject({
      status: "warn",
      summary: expect.stringContaining("symbolic link"),
    });
  });

  it("a symlinked stamp file is not written through either", async () => {
    const sb = sandbox();
    // Added by ghpat itself, which writes the stamp this test replaces.
    expect((await sb.run(["add", "keeper", "--stdin", "--no-verify"], { input: sb.canary(canaryToken()) })).code).toBe(
      0,
    );
    const before = sb.readIndexText() ?? "";
    const outside = join(sb.dir, "outside.validated");
    writeFileSync(outside, "keep me");
    const stamp = `${sb.indexPath()}.validated`;
    const { rmSync } = await import("node:fs");
    rmSync(stamp);
    symlinkSync(outside, stamp);
    const token = sb.canary(canaryToken());
    expect((await sb.run(["add", "x", "--stdin", "--no-verify"], { input: token })).code).toBe(2);
    expect(readFileSync(outside, "utf8")).toBe("keep me");
    expect(sb.readIndexText()).toBe(before);
  });
});

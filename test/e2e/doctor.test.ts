import { spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { nodeSupported } from "../../src/commands/doctor/node-version.js";
import { canaryToken } from "../helpers/canary.js";
import { keytarStore, secretTool, secretToolLookup } from "../helpers/keyring.js";
import { ForwardProxy } from "../helpers/forward-proxy.js";
import { BIN, type Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

const env = keyringEnv ?? {};

interface Check {
  id: string;
  status: "ok" | "warn" | "fail";
  summary: string;
  fix: string | null;
  details: string[];
  repaired: string[];
  data?: Record<string, unknown>;
}

async function doctor(
  sb: Sandbox,
  args: string[] = [],
  options: Parameters<Sandbox["run"]>[1] = {},
): Promise<{ code: number | null; checks: Record<string, Check>; ok: boolean }> {
  const result = await sb.run(["doctor", "--json", ...args], options);
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
  expect(result.code, result.stderr).toBe(report.ok ? 0 : 1);
  return { code: result.code, ok: report.ok, checks: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

function storeSecret(sb: Sandbox, account: string, secret: string): void {
  keytarStore({ env }, sb.service, account, secret);
}

function git(sb: Sandbox, args: string[], cwd = sb.dir): void {
  const result = spawnSync("git", args, { env: sb.env, cwd, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
}

const ghpatHelper = `!'${process.execPath}' '${BIN}' git-credential`;

describeKeychain("ghpat doctor", () => {
  const { api, sandbox } = useWorld();
  const proxy = new ForwardProxy();
  beforeAll(async () => {
    await proxy.start();
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it("says ok for every check of a healthy setup, in order, each with a summary", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    seedVerified(sb, api, token, { login: "octocat", scopes: ["repo"] });
    const human = await sb.run(["doctor"]);
    expect(human.code, human.stdout).toBe(0);
    expect(
      human.stdout
        .split("\n")
        .filter((l) => /^\S/.test(l))
        .map((l) =>
          l
            .split(/\s{2,}/)
            .slice(0, 2)
            .join(" | "),
        ),
    ).toEqual([
      `${nodeSupported(process.versions.node) ? "ok" : "warn"} | Node.js`,
      "ok | secret store",
      "ok | index",
      "ok | orphans",
      "ok | git wiring",
      "ok | API",
    ]);
    const report = await doctor(sb);
    expect(Object.keys(report.checks)).toEqual(["node", "store", "index", "orphans", "git", "api"]);
    expect(report.checks.index?.summary).toMatch(/1 record, mode 0600 in a 0700 directory/);
    expect(api.requests.filter((r) => r.url === "/meta").every((r) => r.headers.authorization === undefined)).toBe(
      true,
    );
  });

  it("reports every disagreement between the index and the keychain, and --fix repairs them without deleting a secret", async () => {
    const sb = sandbox();
    const [gone, unrecorded, swapped, replacement, kept] = Array.from({ length: 5 }, () =>
      sb.canary(canaryToken()),
    ) as [string, string, string, string, string];
    sb.seed(
      (
        [
          ["gone", gone],
          ["swapped", swapped],
          ["kept", kept],
        ] as const
      ).map(([name, token]) => ({ name, token, match: [`${name}/*`], note: name })),
    );
    secretTool({ env }, ["clear", "service", sb.service, "account", "github.com/gone"]);
    storeSecret(sb, "github.com/unrecorded", unrecorded);
    storeSecret(sb, "github.com/swapped", replacement);

    const before = await doctor(sb);
    expect(before.code).toBe(1);
    const orphans = before.checks.orphans as Check;
    expect(orphans.status).toBe("fail");
    expect(orphans.data).toMatchObject({
      recordsWithoutSecret: [{ name: "gone", host: "github.com", fingerprint: `ghp_…${gone.slice(-4)}` }],
      secretsWithoutRecord: ["github.com/unrecorded"],
      fingerprintMismatch: [
        { name: "swapped", recorded: `ghp_…${swapped.slice(-4)}`, stored: `ghp_…${replacement.slice(-4)}` },
      ],
    });
    expect(`${orphans.summary} ${orphans.details.join(" ")}`).toContain("'gone'");
    expect(orphans.fix).toContain("ghpat doctor --fix");

    // A slot holding another token than its record describes is reported, never adopted: it may be another config directory's.
    const fixed = await doctor(sb, ["--fix"]);
    expect(fixed.code).toBe(1);
    expect((fixed.checks.orphans as Check).repaired).toHaveLength(2);
    const after = (await doctor(sb)).checks.orphans as Check;
    expect(after.status).toBe("fail");
    expect(after.data).toMatchObject({
      recordsWithoutSecret: [],
      secretsWithoutRecord: [],
      fingerprintMismatch: [{ name: "swapped" }],
    });
    expect(`${after.summary} ${after.details.join(" ")}`).toContain("the keychain item for 'swapped' holds");
    expect(after.fix).toContain("GHPAT_KEYCHAIN_SERVICE");

    const records = Object.fromEntries(
      JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => [r.name, r]),
    );
    expect(Object.keys(records).sort()).toEqual(["kept", "swapped", "unrecorded"]);
    expect(records.unrecorded).toMatchObject({
      status: "unverified",
      fingerprint: `ghp_…${unrecorded.slice(-4)}`,
      login: null,
      note: "recovered by ghpat doctor --fix",
    });
    expect(records.swapped).toMatchObject({
      fingerprint: `ghp_…${swapped.slice(-4)}`,
      match: ["swapped/*"],
      note: "swapped",
    });
    expect(records.kept).toMatchObject({ fingerprint: `ghp_…${kept.slice(-4)}` });
    // The default ('gone') was dropped; with several tokens left, none is promoted, and a recovered one never is.
    expect(Object.values(records).map((r) => (r as { default: boolean }).default)).toEqual([false, false, false]);
    for (const [name, token] of [
      ["unrecorded", unrecorded],
      ["kept", kept],
    ] as const) {
      expect((await sb.run(["token", name], { secretOnStdout: true })).stdout).toBe(`${token}\n`);
    }
    const refused = await sb.run(["token", "swapped"]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
  });

  it("judges each record by its own store: --fix never drops a record whose secret is in the store it did not open", async () => {
    const sb = sandbox();
    const inKeychain = sb.canary(canaryToken());
    const inFile = sb.canary(canaryToken());
    const fileStore = { GHPAT_STORE: "file", GHPAT_PASSPHRASE: sb.passphrase };
    sb.seed([{ name: "k", token: inKeychain }]);
    sb.seed([{ name: "f", token: inFile }], { store: "file" });
    for (const [options, other] of [
      [{}, { name: "f", store: "file" }],
      [{ env: fileStore }, { name: "k", store: "keychain" }],
    ] as const) {
      const fixed = await doctor(sb, ["--fix"], options);
      const orphans = fixed.checks.orphans as Check;
      expect(orphans.status, JSON.stringify(orphans)).toBe("ok");
      expect(orphans.repaired).toEqual([]);
      expect(orphans.data?.notChecked).toEqual([{ ...other, host: "github.com" }]);
      expect(orphans.details.join(" ")).toContain(`GHPAT_STORE=${other.store} ghpat doctor`);
    }
    expect((await sb.run(["token", "k"], { secretOnStdout: true })).stdout).toBe(`${inKeychain}\n`);
    expect(
      (await sb.run(["token", "f"], { secretOnStdout: true, env: { GHPAT_PASSPHRASE: sb.passphrase } })).stdout,
    ).toBe(`${inFile}\n`);
  });

  it("opens the file store to check it: a wrong passphrase fails the store check, not only the orphans check", async () => {
    const sb = sandbox();
    const fileStore = { GHPAT_STORE: "file", GHPAT_PASSPHRASE: sb.passphrase };
    const empty = await doctor(sb, [], { env: fileStore });
    expect(empty.checks.store?.summary).toContain("holds no secret yet");
    sb.seed([{ name: "f", token: sb.canary(canaryToken()) }], { store: "file" });
    const right = await doctor(sb, [], { env: fileStore });
    expect(right.checks.store).toMatchObject({
      status: "ok",
      summary: expect.stringContaining("opens with its passphrase"),
    });
    const wrong = await doctor(sb, [], { env: { ...fileStore, GHPAT_PASSPHRASE: "not the passphrase" } });
    expect(wrong.checks.store?.status).toBe("fail");
    expect(wrong.checks.store?.summary).toMatch(/passphrase/i);
  });

  it("recovers a secret whose name another host's record holds by copying it to a free name, never dropping it", async () => {
    const sb = sandbox();
    const mine = sb.canary(canaryToken());
    const stray = sb.canary(canaryToken());
    sb.seed([{ name: "work", token: mine }]);
    storeSecret(sb, "ghe.example.com/work", stray);
    const fixed = await doctor(sb, ["--fix"]);
    expect((fixed.checks.orphans as Check).repaired.join(" ")).toContain("work@ghe.example.com");
    expect((await sb.run(["token", "work@ghe.example.com"], { secretOnStdout: true })).stdout).toBe(`${stray}\n`);
    expect((await sb.run(["token", "work"], { secretOnStdout: true })).stdout).toBe(`${mine}\n`);
    expect(secretToolLookup({ env }, sb.service, "ghe.example.com/work")).toBeNull();
    expect((await doctor(sb)).checks.orphans?.status).toBe("ok");
  });

  it("rebuilds the index from the keychain after a corrupt one is moved aside, and never touches the corrupt one", async () => {
    const sb = sandbox();
    const a = sb.canary(canaryToken());
    const b = sb.canary(canaryToken());
    sb.seed([
      { name: "a", token: a },
      { name: "b", token: b, host: "ghe.example.com" },
    ]);
    writeFileSync(sb.indexPath(), "{ corrupt");
    const broken = await doctor(sb, ["--fix"]);
    expect(broken.checks.index).toMatchObject({ status: "fail", fix: expect.stringContaining(`mv ${sb.indexPath()}`) });
    expect(broken.checks.orphans?.summary).toContain("Not checked");
    expect(sb.readIndexText()).toBe("{ corrupt");

    renameSync(sb.indexPath(), `${sb.indexPath()}.bad`);
    const rebuilt = await doctor(sb, ["--fix"]);
    expect(rebuilt.ok).toBe(true);
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(
      records.map((r: { name: string; host: string; default: boolean; status: string }) => [
        r.name,
        r.host,
        r.default,
        r.status,
      ]),
    ).toEqual([
      ["b", "ghe.example.com", false, "unverified"],
      ["a", "github.com", false, "unverified"],
    ]);
    // A recovered secret is never made a default, yet the only token of a host is still the one git and 'token' use.
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${a}\n`);
  });

  it("reports a stale lock, a takeover marker and temporary files left by killed processes; --fix (or the next write) clears them", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    // Added by ghpat itself, which leaves its validation stamp beside the index and the scan key (the keyed hash of the secret): the listings below expect them.
    expect((await sb.run(["add", "a", "--stdin", "--no-verify"], { input: token })).code).toBe(0);
    const dead = Number(
      spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout,
    );
    const plant = () => {
      writeFileSync(
        `${sb.indexPath()}.lock`,
        JSON.stringify({ pid: dead, host: hostname(), nonce: "x", since: "2026-01-01T00:00:00Z" }),
      );
      writeFileSync(
        `${sb.indexPath()}.lock.takeover`,
        JSON.stringify({ pid: dead, host: hostname(), nonce: "y", since: "2026-01-01T00:00:00Z" }),
      );
      writeFileSync(`${sb.indexPath()}.tmp-${dead}-0123456789ab`, "{}");
    };
    plant();
    expect((await doctor(sb, ["--fix"])).checks.index?.repaired).toEqual([
      expect.stringMatching(/removed \S+\.lock\.takeover, left by process \d+/),
      expect.stringContaining("stale lock"),
      expect.stringContaining("left by a killed process"),
    ]);
    expect(readdirSync(sb.configDir).sort()).toEqual(["scan.key", "tokens.json", "tokens.json.validated"]);

    plant();
    const found = await doctor(sb);
    expect(found.checks.index?.status).toBe("warn");
    expect(`${found.checks.index?.summary} ${found.checks.index?.details.join(" ")}`).toMatch(
      /lock\.takeover was left by[\s\S]*stale lock[\s\S]*temporary file/,
    );
    // Taking the lock to compare index and keychain clears them, as any ghpat write does.
    expect(readdirSync(sb.configDir).sort()).toEqual(["scan.key", "tokens.json", "tokens.json.validated"]);

    plant();
    expect((await sb.run(["default", "a"])).code).toBe(0);
    expect(readdirSync(sb.configDir).sort()).toEqual(["scan.key", "tokens.json", "tokens.json.validated"]);
  });

  it("checks git's wiring: the command setup-git wrote must still run, and ghpat must be git's only helper for the host", async () => {
    const sb = sandbox();
    expect((await doctor(sb)).checks.git).toMatchObject({
      status: "ok",
      summary: expect.stringContaining("not set up"),
    });

    git(sb, ["config", "--global", "--add", "credential.https://github.com.helper", ""]);
    git(sb, ["config", "--global", "--add", "credential.https://github.com.helper", ghpatHelper]);
    const wired = (await doctor(sb)).checks.git as Check;
    expect(wired.status).toBe("ok");
    expect(wired.details.join(" ")).toMatch(/runs ghpat \d+\.\d+\.\d+/);

    git(sb, ["config", "--global", "--add", "credential.helper", "store"]);
    git(sb, ["config", "--global", "--add", "credential.https://ghe.example.com.helper", ghpatHelper]);
    const leaky = (await doctor(sb)).checks.git as Check;
    expect(leaky.status).toBe("fail");
    expect(leaky.summary).toContain("plain text");
    expect(leaky.fix).toContain("ghpat setup-git");

    const repo = join(sb.dir, "repo");
    mkdirSync(repo);
    git(sb, ["init", "-q"], repo);
    sb.watchGitRepo(repo);
    git(sb, ["config", "--global", "--unset-all", "credential.helper"]);
    git(
      sb,
      [
        "config",
        "--local",
        "credential.https://github.com.helper",
        "!'/nonexistent/node' '/gone/ghpat.js' git-credential",
      ],
      repo,
    );
    const broken = (await doctor(sb, [], { cwd: repo })).checks.git as Check;
    expect(broken.status).toBe("fail");
    expect(broken.summary).toContain("no longer starts ghpat");
    expect(broken.fix).toContain("ghpat setup-git");
  });

  it("checks the API from here, through the proxy when one is set, without sending a token", async () => {
    const sb = sandbox();
    sb.seed([{ name: "a", token: sb.canary(canaryToken()) }]);

    const viaProxy = (
      await doctor(sb, [], { env: { HTTP_PROXY: proxy.url.replace("http://", "http://user:hunter2@") } })
    ).checks.api as Check;
    expect(viaProxy.status).toBe("ok");
    expect(viaProxy.details.join(" ")).toContain("through the proxy http://***@127.0.0.1");
    expect(JSON.stringify(viaProxy)).not.toContain("hunter2");
    // A plain-http API goes through the proxy in absolute form (https would be a CONNECT tunnel).
    expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toContain(`GET ${api.url}/meta`);
    expect(api.requests.map((r) => r.url)).toContain("/meta");

    // A port nothing listens on (port 9, used before, is one fetch refuses outright: a different message).
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const down = await doctor(sb, [], { env: { GHPAT_API_URL: `http://127.0.0.1:${closed}` } });
    expect(down.checks.api).toMatchObject({ status: "fail", fix: expect.stringContaining("HTTPS_PROXY") });
    expect(api.authorizations()).toEqual([]);
  });

  it("still reports every check when GH_HOST is not a host name: the API check fails and says why", async () => {
    const sb = sandbox();
    const report = await doctor(sb, [], { env: { GH_HOST: "bad host" } });
    expect(Object.keys(report.checks)).toEqual(["node", "store", "index", "orphans", "git", "api"]);
    expect(report.checks.api?.status).toBe("fail");
    expect(report.checks.api?.summary).toContain("'bad host' is not a host name");
  });

  it("never changes anything without --fix", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    storeSecret(sb, "github.com/orphan", token);
    expect((await doctor(sb)).code).toBe(1);
    expect(existsSync(sb.configDir)).toBe(false);
    expect(secretToolLookup({ env }, sb.service, "github.com/orphan")).toBe(token);
  });
});

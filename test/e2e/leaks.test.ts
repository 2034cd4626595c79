import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { DEBUG_BY_DEFAULT, Sandbox, type RunResult } from "../helpers/sandbox.js";
import { secretTool, secretToolLookup } from "../helpers/keyring.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";
import { DBusConnection } from "../../src/storage/dbus/connection.js";

const noLeak = (): RunResult => ({ code: 0, signal: null, stdout: "", stderr: "" });

describe("the leak canary itself", () => {
  it("catches a canary in every place it scans", () => {
    const places: Array<[string, (sb: Sandbox, token: string) => RunResult]> = [
      ["stdout", (_sb, t) => ({ ...noLeak(), stdout: `x${t}x` })],
      ["stderr", (_sb, t) => ({ ...noLeak(), stderr: `    at f (${t})` })],
      [
        "a file under the config directory",
        (sb, t) => {
          mkdirSync(join(sb.configDir, "sub"), { recursive: true });
          writeFileSync(join(sb.configDir, "sub", "tokens.json.tmp-1-aaaaaaaaaaaa"), t);
          return noLeak();
        },
      ],
      [
        "~/.gitconfig",
        (sb, t) => {
          writeFileSync(join(sb.home, ".gitconfig"), `[credential]\n\thelper = ${t}\n`);
          return noLeak();
        },
      ],
      [
        "$XDG_CONFIG_HOME/git/config",
        (sb, t) => {
          mkdirSync(join(sb.home, ".config", "git"), { recursive: true });
          writeFileSync(join(sb.home, ".config", "git", "config"), t);
          return noLeak();
        },
      ],
      [
        "a watched repository's .git/config",
        (sb, t) => {
          const repo = join(sb.dir, "repo");
          mkdirSync(join(repo, ".git"), { recursive: true });
          sb.watchGitRepo(repo);
          writeFileSync(join(repo, ".git", "config"), t);
          return noLeak();
        },
      ],
    ];
    for (const [place, leak] of places) {
      const sb = new Sandbox();
      try {
        const token = sb.canary(canaryToken());
        const result = leak(sb, token);
        expect(() => sb.assertNoLeak(result), place).toThrow(/leaked/);
      } finally {
        sb.cleanup();
      }
    }
  });

  it("lets stdout carry the secret only when the run says so", () => {
    const sb = new Sandbox();
    try {
      const token = sb.canary(canaryToken());
      expect(() => sb.assertNoLeak({ ...noLeak(), stdout: token }, { stdout: false })).not.toThrow();
    } finally {
      sb.cleanup();
    }
  });

  it("runs every command under GHPAT_DEBUG=1 by default, so stack traces are scanned too", () => {
    const sb = new Sandbox();
    try {
      expect(sb.env.GHPAT_DEBUG).toBe(DEBUG_BY_DEFAULT ? "1" : undefined);
      expect(new Sandbox({ debug: true }).env.GHPAT_DEBUG).toBe("1");
    } finally {
      sb.cleanup();
    }
  });
});

describeKeychain("no failing path leaks the token, stack traces included (GHPAT_DEBUG=1)", () => {
  const { api, sandbox } = useWorld({ debug: true });

  it("prints a stack under GHPAT_DEBUG=1 and none without it", async () => {
    const sb = sandbox();
    const broken = { GHPAT_API_URL: "http://127.0.0.1:9" };
    const token = sb.canary(canaryToken());
    const withDebug = await sb.run(["add", "--stdin"], { input: token, env: broken });
    expect(withDebug.code).toBe(5);
    expect(withDebug.stderr).toMatch(/\n\s+at /);
    const without = await sb.run(["add", "--stdin"], { input: token, env: { ...broken, GHPAT_DEBUG: undefined } });
    expect(without.code).toBe(5);
    expect(without.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      "the API rejects it and echoes it back",
      1,
      (t: string) =>
        api.intercept((req, res) =>
          req.url === "/user"
            ? (api.json(
                res,
                401,
                { message: `Bad credentials: ${t}`, documentation_url: `https://docs/${t}` },
                { "x-echo": t },
              ),
              true)
            : false,
        ),
    ],
    [
      "the API fails with 500 and echoes it",
      5,
      (t: string) =>
        api.intercept((req, res) =>
          req.url === "/user" ? (api.json(res, 500, { message: `boom ${t}` }), true) : false,
        ),
    ],
    [
      "the API answers garbage holding it",
      5,
      (t: string) =>
        api.intercept(
          (_req, res) => (res.writeHead(200, { "content-type": "application/json" }), res.end(`{"login": ${t}`), true),
        ),
    ],
    [
      "the API asks for SSO",
      1,
      (t: string) =>
        api.addToken(t, { login: "sso", ssoUrl: "https://github.com/orgs/acme/sso?authorization_request=1" }),
    ],
    [
      "the API is rate limited",
      5,
      () =>
        api.intercept(
          (_req, res) => (
            api.json(
              res,
              403,
              { message: "API rate limit exceeded" },
              { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2000000000" },
            ),
            true
          ),
        ),
    ],
  ])("add --stdin when %s", async (_label, code, arrange) => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    arrange(token);
    const result = await sb.run(["add", "--stdin"], { input: token });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(sb.readIndexText()).toBeNull();
  });

  it("add --stdin when the API never answers in time (5)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "slow" });
    api.latencyMs = 3000;
    const result = await sb.run(["add", "--stdin", "--timeout", "0.3"], { input: token });
    expect(result.code).toBe(5);
  });

  it("refuses a token anywhere on the command line, and keeps it out of the index (2)", async () => {
    const sb = sandbox();
    const kept = sb.canary(canaryToken());
    sb.seed([{ name: "kept", token: kept }]);
    const before = sb.readIndexText();
    const token = sb.canary(canaryToken());
    for (const args of [
      [token],
      ["add", "x", "--stdin", "--no-verify", "--note", `old: ${token}`],
      ["add", "x", "--stdin", "--no-verify", `--match=${token}`],
      ["add", "--host", token, "--stdin"],
      ["list", `--host=${token}`],
      ["token", token],
      ["default", token],
      ["remove", token, "--yes"],
      ["doctor", token],
    ]) {
      const result = await sb.run(args, { input: kept, secretInArgs: true });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("looks like a token");
    }
    expect(sb.readIndexText()).toBe(before);
  });

  it("refuses bad stdin without echoing it (2)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    for (const input of [
      `${token} trailing`,
      `${token}\u0000`,
      `${token}\n${token}\n`,
      token.repeat(2000),
      `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
    ]) {
      const result = await sb.run(["add", "x", "--stdin", "--no-verify"], { input });
      expect(result.code).toBe(2);
    }
    expect(sb.readIndexText()).toBeNull();
  });

  it("scrubs an error message that would carry the token (a config path holding it)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const blocker = join(sb.dir, `file-${token}`);
    writeFileSync(blocker, "not a directory");
    const result = await sb.run(["add", "x", "--stdin", "--no-verify"], {
      input: token,
      env: { GHPAT_CONFIG_DIR: join(blocker, "ghpat") },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`file-ghp_…${token.slice(-4)}`);
    expect(secretToolLookup({ env: keyringEnv ?? {} }, sb.service, "github.com/x")).toBeNull();
  });

  it("keeps the token out of every failure about stored tokens", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const other = sb.canary(canaryToken());
    sb.seed([{ name: "t", token }]);
    const noBus = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" };
    expect((await sb.run(["token", "t"], { env: noBus })).code).toBe(4);
    expect((await sb.run(["remove", "t", "--yes"], { env: noBus })).code).toBe(4);
    expect((await sb.run(["add", "t", "--stdin", "--no-verify"], { input: other })).code).toBe(2);
    expect((await sb.run(["add", "u", "--stdin", "--no-verify"], { input: other, env: noBus })).code).toBe(4);
    expect((await sb.run(["doctor"], { env: noBus })).code).toBe(1);
    // Swapped behind ghpat's back: doctor reads both secrets to compare them and prints fingerprints only.
    expect((await sb.run(["add", "u", "--stdin", "--no-verify"], { input: other })).code).toBe(0);
    secretTool(
      { env: keyringEnv ?? {} },
      ["store", "--label=swap", "service", sb.service, "account", "github.com/t"],
      other,
    );
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const result = await sb.run(args);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`ghp_…${other.slice(-4)}`);
    }
    secretTool({ env: keyringEnv ?? {} }, ["clear", "service", sb.service, "account", "github.com/t"]);
    const missing = await sb.run(["token", "t"]);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe("");
  });
});

/**
 * Everything that crosses the session bus, raw, as any program of the same
 * user could watch it (dbus-monitor, BecomeMonitor). Ready once a marker
 * call of ours shows in it.
 */
async function watchBus(env: Record<string, string | undefined>): Promise<{ stop: () => Promise<Buffer> }> {
  const monitor = spawn("dbus-monitor", ["--address", env.DBUS_SESSION_BUS_ADDRESS ?? "", "--binary"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const chunks: Buffer[] = [];
  monitor.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const marker = `ghpat.marker.m${randomBytes(6).toString("hex")}`;
  const bus = await DBusConnection.open(env);
  try {
    for (let tries = 0; !Buffer.concat(chunks).includes(marker); tries++) {
      if (tries > 100) throw new Error("dbus-monitor never started watching");
      await bus
        .call({
          destination: "org.freedesktop.DBus",
          path: "/org/freedesktop/DBus",
          interface: "org.freedesktop.DBus",
          member: "NameHasOwner",
          signature: "s",
          body: [marker],
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    bus.close();
  }
  return {
    stop: async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      monitor.kill();
      await new Promise((resolve) => monitor.once("close", resolve));
      return Buffer.concat(chunks);
    },
  };
}

describeKeychain("the token on the session bus", () => {
  const { sandbox } = useWorld();
  const env = keyringEnv ?? {};

  it("crosses it only encrypted when git asks for it, and a plain read would show on the watch", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    sb.seed([{ name: "work", token }]);

    const watch = await watchBus(env);
    const answer = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n\n",
      secretOnStdout: true,
    });
    const token2 = await sb.run(["token", "work"], { secretOnStdout: true });
    const seen = await watch.stop();
    expect(answer.stdout).toContain(`password=${token}\n`);
    expect(token2.stdout).toBe(`${token}\n`);
    expect(seen.includes("dh-ietf1024-sha256-aes128-cbc-pkcs7")).toBe(true);
    expect(seen.includes("GetSecret")).toBe(true);
    expect(seen.includes(token)).toBe(false);

    // The control: the same item read over a plain session is in the watch, in clear.
    const control = await watchBus(env);
    const bus = await DBusConnection.open(env);
    try {
      const call = (path: string, iface: string, member: string, signature: string, body: unknown[]) =>
        bus.call({ destination: "org.freedesktop.secrets", path, interface: iface, member, signature, body });
      const [, session] = await call(
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service",
        "OpenSession",
        "sv",
        ["plain", { signature: "s", value: "" }],
      );
      const [[item]] = (await call(
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service",
        "SearchItems",
        "a{ss}",
        [
          [
            ["service", sb.service],
            ["account", "github.com/work"],
          ],
        ],
      )) as [string[]];
      await call(item ?? "/", "org.freedesktop.Secret.Item", "GetSecret", "o", [session]);
    } finally {
      bus.close();
    }
    expect((await control.stop()).includes(token)).toBe(true);
  });
});

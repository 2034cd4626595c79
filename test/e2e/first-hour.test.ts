import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { startBus, startKeyring, type Bus, type Keyring } from "../helpers/keyring.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { Sandbox } from "../helpers/sandbox.js";
import { DBusConnection } from "../../src/storage/dbus/connection.js";
import { SecretServiceClient } from "../../src/storage/secret-service.js";
import { seedVerified } from "../helpers/seed.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";
import { runOnTerminal, type TerminalResult } from "../helpers/terminal.js";

/**
 * What a newcomer met in the first hour (issue 23): words that did not fit
 * the case, input that should have been taken, failures found too late.
 * Each test runs the built CLI against the fake API and reads its request log.
 */
const DAY = 86_400_000;

describe("verify --stdin checks the format before asking GitHub", () => {
  const { api, sandbox } = useWorld({ store: "file" });
  const noStore = { GHPAT_PASSPHRASE: undefined };

  it("calls a too-short or too-long token malformed and sends nothing", async () => {
    const sb = sandbox();
    for (const input of ["ghp_abc", `ghp_${"a".repeat(4996)}`]) {
      const result = await sb.run(["verify", "--stdin"], { input, env: noStore });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("malformed");
      expect(result.stderr).toContain("Nothing was sent to GitHub");
      expect(result.stderr).not.toMatch(/revoked|ghpat rotate/);
      expect(result.stdout).toBe("");
    }
    expect(api.requests).toEqual([]);
  });

  it("gives no advice to rotate a token it does not store when GitHub rejects it", async () => {
    const sb = sandbox();
    const unknown = sb.canary(canaryToken());
    const result = await sb.run(["verify", "--stdin"], { input: unknown, env: noStore });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/\(stdin\)\s+github\.com\s+-\s+revoked/);
    expect(result.stderr).not.toContain("ghpat rotate");
    expect(result.stderr).toContain("nothing to rotate or remove");
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
  });
});

describe("remove says what is left on GitHub", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("does not claim an expired or revoked token still works, and still gives the revoke page for a live one", async () => {
    const sb = sandbox();
    const past = new Date(Date.now() - 3 * DAY).toISOString();
    sb.seed([
      { name: "old", token: sb.canary(canaryToken()), expiresAt: past, expiryKnown: true, status: "valid" },
      { name: "dead", token: sb.canary(canaryToken()), status: "revoked" },
      { name: "live", token: sb.canary(canaryToken()), status: "valid" },
    ]);
    const old = await sb.run(["remove", "old", "--yes"]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).not.toContain("still works");
    expect(old.stderr).toContain(`It expired on ${past.slice(0, 10)}, so it no longer works on GitHub either.`);
    const dead = await sb.run(["remove", "dead", "--yes"]);
    expect(dead.code, dead.stderr).toBe(0);
    expect(dead.stderr).not.toContain("still works");
    expect(dead.stderr).toContain("GitHub already refused it");
    const live = await sb.run(["remove", "live", "--yes"]);
    expect(live.stderr).toContain("It still works on GitHub until you revoke it: https://github.com/settings/tokens");
  });
});

describe("revoke-reminder advises 'ghpat revoke' only where it works", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("gives the settings page for a token off github.com, in the annotations and in --check's hint", async () => {
    const sb = sandbox();
    sb.seed([
      {
        name: "enterprise",
        host: "ghe.example.com",
        token: sb.canary(canaryToken()),
        status: "valid",
        scopes: ["delete_repo"],
        lastVerifiedAt: new Date().toISOString(),
      },
      {
        name: "dotcom",
        token: sb.canary(canaryToken()),
        status: "valid",
        scopes: ["delete_repo"],
        lastVerifiedAt: new Date().toISOString(),
      },
    ]);
    const result = await sb.run(["revoke-reminder", "--format", "github", "--check"]);
    expect(result.code).toBe(1);
    const enterprise = result.stdout
      .split("\n")
      .filter((l) => l.includes("'enterprise'") && l.includes("broad-scopes"));
    expect(enterprise).toHaveLength(1);
    expect(enterprise[0]).toContain("revoke it on its settings page, https://ghe.example.com/settings/tokens");
    expect(enterprise[0]).not.toContain("ghpat revoke");
    const dotcom = result.stdout.split("\n").find((l) => l.includes("'dotcom'") && l.includes("broad-scopes"));
    expect(dotcom).toContain("revoke it with 'ghpat revoke dotcom'");
    expect(result.stderr).toContain("'ghpat revoke NAME' works on github.com only");
  });
});

/** A terminal run checked for the canaries like any other run (the terminal shows stdout and stderr together). */
function noLeakOnTerminal(sb: Sandbox, result: TerminalResult): void {
  sb.assertNoLeak({ code: result.code, signal: null, stdout: result.output, stderr: "" });
}

describe("an empty answer at add's prompt is asked again", () => {
  const { api, sandbox } = useWorld({ store: "file" });

  it("says 'No token was given' and takes the token at the third try", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const result = await runOnTerminal(sb, ["add", "typed", "--no-verify"], {
      answers: [
        { when: /GitHub token for github\.com:/, send: "\r" },
        // Each answer waits for the prompt after the warning: typed earlier, the terminal would still echo it.
        { when: /No token was given[\s\S]*GitHub token for github\.com:/, send: "   \r" },
        { when: /No token was given[\s\S]*No token was given[\s\S]*GitHub token for github\.com:/, send: `${token}\r` },
      ],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain("characters GitHub tokens never have");
    expect(result.output).toContain("Stored 'typed'");
    expect(sb.storedSecret("github.com/typed")).toBe(token);
    noLeakOnTerminal(sb, result);
  });

  it("gives up after three empty answers (2) and stores nothing", async () => {
    const sb = sandbox();
    const result = await runOnTerminal(sb, ["add", "typed", "--no-verify"], {
      answers: [
        { when: /GitHub token for github\.com:/, send: "\r" },
        { when: /No token was given[\s\S]*GitHub token for github\.com:/, send: "\r" },
        { when: /No token was given[\s\S]*No token was given[\s\S]*GitHub token for github\.com:/, send: "\r" },
      ],
    });
    expect(result.code, result.output).toBe(2);
    expect(result.output).toContain("No token was given (3 empty answers)");
    expect(result.output).not.toContain("characters GitHub tokens never have");
    expect(sb.readIndexText()).toBeNull();
    expect(api.requests).toEqual([]);
  });
});

describe("whitespace around a token is dropped on every way in, never inside", () => {
  const { api, sandbox } = useWorld({ store: "file" });

  it("add --stdin takes leading and trailing spaces, tabs, CR and LF", async () => {
    const sb = sandbox();
    const wrappings: Array<(token: string) => string> = [
      (t) => ` ${t}`,
      (t) => `${t}\t`,
      (t) => `\t ${t} \r\n`,
      (t) => `\r\n\n${t}\n\n`,
    ];
    for (const [n, wrap] of wrappings.entries()) {
      const token = sb.canary(canaryToken());
      const name = `t${n}`;
      const result = await sb.run(["add", name, "--stdin", "--no-verify"], { input: wrap(token) });
      expect(result.code, result.stderr).toBe(0);
      expect(sb.storedSecret(`github.com/${name}`)).toBe(token);
    }
  });

  it("still refuses whitespace inside the token (2)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    for (const inner of [
      `${token.slice(0, 10)} ${token.slice(10)}`,
      `${token.slice(0, 10)}\t${token.slice(10)}`,
      `${token.slice(0, 10)}\n${token.slice(10)}`,
    ]) {
      const result = await sb.run(["add", "inner", "--stdin", "--no-verify"], { input: inner });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("characters GitHub tokens never have");
    }
    expect(sb.readIndexText()).toBeNull();
  });

  it("the prompt takes a paste with spaces around it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const result = await runOnTerminal(sb, ["add", "pasted", "--no-verify"], {
      answers: [{ when: /GitHub token for github\.com:/, send: `  ${token}   \r` }],
    });
    expect(result.code, result.output).toBe(0);
    expect(sb.storedSecret("github.com/pasted")).toBe(token);
    noLeakOnTerminal(sb, result);
  });

  it("rotate --stdin and verify --stdin trim too, and GitHub sees the bare token", async () => {
    const sb = sandbox();
    const old = sb.canary(canaryToken());
    const successor = sb.canary(canaryToken());
    seedVerified(sb, api, old, { login: "octocat", scopes: ["repo"] }, { name: "work" });
    api.addToken(successor, { login: "octocat", scopes: ["repo"] });
    const rotated = await sb.run(["rotate", "work", "--stdin"], { input: `\t ${successor} \r\n` });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(sb.storedSecret("github.com/work")).toBe(successor);
    const verified = await sb.run(["verify", "--stdin"], { input: ` ${successor}\t\n` });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/\(stdin\)\s+github\.com\s+octocat\s+valid/);
    expect(api.authorizations()).toEqual([`token ${successor}`, `token ${successor}`]);
  });

  it("add --stdin on a terminal asks with the masked prompt: the typed token is never shown", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const result = await runOnTerminal(sb, ["add", "typed", "--stdin", "--no-verify"], {
      answers: [{ when: /GitHub token for github\.com:/, send: `${token}\r` }],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain(token);
    expect(result.output).toContain("*".repeat(10));
    expect(sb.storedSecret("github.com/typed")).toBe(token);
    noLeakOnTerminal(sb, result);
  });

  it("add --stdin on a terminal where ghpat does not prompt (CI) refuses with the pipe to use (2)", async () => {
    const sb = sandbox();
    const result = await runOnTerminal(sb, ["add", "typed", "--stdin", "--no-verify"], {
      env: { CI: "true" },
      typed: "ghp_typedbutneverread\r\x04",
    });
    expect(result.code, result.output).toBe(2);
    expect(result.output).toContain("that is a terminal here");
    expect(result.output).toContain("| ghpat add --stdin");
    expect(sb.readIndexText()).toBeNull();
  });
});

describe("a headless add fails on the store before it asks for the token or calls GitHub", () => {
  const { api, sandbox } = useWorld({ store: "file" });
  let bus: Bus | undefined;
  beforeAll(() => {
    // A private D-Bus session that nobody offers a Secret Service on.
    bus = startBus();
  });
  afterAll(() => bus?.stop());
  const keychainOnEmptyBus = () => ({
    GHPAT_STORE: undefined,
    GHPAT_PASSPHRASE: undefined,
    DBUS_SESSION_BUS_ADDRESS: bus?.address,
  });

  it("keychain on a bus without a Secret Service: exit 4 with the file-store hint, no request", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: ["repo"] });
    const piped = await sb.run(["add", "--stdin"], { input: token, env: keychainOnEmptyBus() });
    expect(piped.code, piped.stderr).toBe(4);
    expect(piped.stderr).toContain("GHPAT_STORE=file");
    expect(piped.stderr).toContain("Nothing was asked for or stored");
    expect(piped.stdout).toBe("");
    expect(api.requests).toEqual([]);
    expect(sb.readIndexText()).toBeNull();
  });

  it("on a terminal it never shows the token prompt", async () => {
    const sb = sandbox();
    const result = await runOnTerminal(sb, ["add"], { env: keychainOnEmptyBus() });
    expect(result.code, result.output).toBe(4);
    expect(result.output).toContain("GHPAT_STORE=file");
    expect(result.output).not.toContain("GitHub token for");
    expect(api.requests).toEqual([]);
  });

  it("the file store without its passphrase (a new one too): exit 4 naming the ways to give it, no request", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: ["repo"] });
    const result = await sb.run(["add", "--stdin"], { input: token, env: { GHPAT_PASSPHRASE: undefined } });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain("GHPAT_PASSPHRASE");
    expect(api.requests).toEqual([]);
    expect(sb.readIndexText()).toBeNull();
  });
});

/** Locks the keyring's default collection, as a screen lock or a reboot without auto-unlock leaves it. */
async function lockDefaultCollection(env: Record<string, string>): Promise<void> {
  const client = await SecretServiceClient.open(env);
  const collection = await client.defaultCollection();
  client.close();
  const bus = await DBusConnection.open(env);
  try {
    await bus.call({
      destination: "org.freedesktop.secrets",
      path: "/org/freedesktop/secrets",
      interface: "org.freedesktop.Secret.Service",
      member: "Lock",
      signature: "ao",
      body: [[collection?.path]],
    });
  } finally {
    bus.close();
  }
}

describeKeychain("a locked keyring with no display: no unlock prompt, and a recipe that works over SSH", () => {
  const api = new FakeGitHub();
  let keyring: Keyring | undefined;
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    await api.start();
    keyring = await startKeyring();
  });
  afterAll(async () => {
    sb?.cleanup();
    keyring?.stop();
    await api.stop();
  });

  it("token, remove and add exit 4 with the no-echo unlock recipe, and nobody asks the keyring to unlock", async () => {
    const kr = keyring as Keyring;
    sb = new Sandbox({ keyringEnv: kr.env, apiUrl: api.url, env: { DISPLAY: "", WAYLAND_DISPLAY: "" } });
    const keeper = sb.canary(canaryToken());
    sb.seed([{ name: "keeper", token: keeper }]);
    await lockDefaultCollection(kr.env);

    // Every message on the private bus (its policy lets anyone eavesdrop): an unlock would show as Unlock and Prompt calls.
    const monitor = spawn("dbus-monitor", ["--address", kr.address], { stdio: ["ignore", "pipe", "ignore"] });
    let seen = "";
    monitor.stdout.on("data", (chunk: Buffer) => (seen += chunk.toString("utf8")));
    for (let i = 0; i < 50 && !seen.includes("NameAcquired"); i++) await sleep(50);
    expect(seen).toContain("NameAcquired");
    try {
      const other = sb.canary(canaryToken());
      for (const [args, input] of [
        [["token", "keeper"], ""],
        [["remove", "keeper", "--yes"], ""],
        [["add", "other", "--stdin", "--no-verify"], other],
      ] as const) {
        const result = await sb.run([...args], { input, env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } });
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(4);
        expect(result.stderr).toContain("keychain is locked");
        expect(result.stderr).toContain(
          `read -rs pw; printf %s "$pw" | gnome-keyring-daemon --replace --unlock --components=secrets`,
        );
        expect(result.stderr).not.toMatch(/cannot open display|Gtk-WARNING/);
      }
      await sleep(200);
    } finally {
      monitor.kill("SIGTERM");
    }
    expect(seen).not.toMatch(/member=Unlock\b/);
    expect(seen).not.toContain("interface=org.freedesktop.Secret.Prompt");
    // The secret is still there, still locked.
    const client = await SecretServiceClient.open(kr.env);
    try {
      expect((await client.items({ service: sb.service })).map((i) => [i.attributes.account, i.locked])).toEqual([
        ["github.com/keeper", true],
      ]);
    } finally {
      client.close();
    }
  });
});

describe("the file store's passphrase: a mistyped one is asked again, a short new one is warned about", () => {
  const { sandbox } = useWorld({ store: "file" });
  const typed = { GHPAT_PASSPHRASE: undefined };

  it("asks again after a wrong passphrase on a terminal, and the right one opens the store", async () => {
    const sb = sandbox();
    const kept = sb.canary(canaryToken());
    sb.seed([{ name: "kept", token: kept }]);
    const result = await runOnTerminal(sb, ["token", "kept"], {
      env: typed,
      answers: [
        { when: /Passphrase of \S+secrets\.enc:/, send: "not it at all\r" },
        { when: /Try again \(2 tries left\)[\s\S]*Passphrase of/, send: `${sb.passphrase}\r` },
      ],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("That passphrase does not open");
    expect(result.output).toContain(kept);
  });

  it("gives up after three wrong passphrases (4), and never asks again for one from the environment", async () => {
    const sb = sandbox();
    sb.seed([{ name: "kept", token: sb.canary(canaryToken()) }]);
    const result = await runOnTerminal(sb, ["token", "kept"], {
      env: typed,
      answers: [
        { when: /Passphrase of \S+secrets\.enc:/, send: "wrong one\r" },
        { when: /\(2 tries left\)[\s\S]*Passphrase of/, send: "wrong two\r" },
        { when: /\(1 try left\)[\s\S]*Passphrase of/, send: "wrong three\r" },
      ],
    });
    expect(result.code, result.output).toBe(4);
    expect(result.output).toContain("passphrase does not open");
    expect(result.output.match(/Try again/g)).toHaveLength(2);
    noLeakOnTerminal(sb, result);
    const fromEnv = await runOnTerminal(sb, ["token", "kept"], { env: { GHPAT_PASSPHRASE: "not the passphrase" } });
    expect(fromEnv.code, fromEnv.output).toBe(4);
    expect(fromEnv.output).not.toContain("Try again");
    expect(fromEnv.output).not.toMatch(/Passphrase of/);
  });

  it("warns when a new file store gets a passphrase shorter than 12 characters, typed or given", async () => {
    const sb = sandbox();
    const short = await sb.run(["add", "a", "--stdin", "--no-verify"], {
      input: sb.canary(canaryToken()),
      env: { GHPAT_PASSPHRASE: "hunter2" },
    });
    expect(short.code, short.stderr).toBe(0);
    expect(short.stderr).toContain("warning: the passphrase for");
    expect(short.stderr).toContain("has 7 characters");
    // Opening the store it made is not warned about again.
    const reopened = await sb.run(["add", "b", "--stdin", "--no-verify"], {
      input: sb.canary(canaryToken()),
      env: { GHPAT_PASSPHRASE: "hunter2" },
    });
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(reopened.stderr).not.toContain("warning: the passphrase");

    const other = new Sandbox({ store: "file" });
    const third = new Sandbox({ store: "file" });
    try {
      const token = other.canary(canaryToken());
      const prompted = await runOnTerminal(other, ["add", "c", "--no-verify"], {
        env: typed,
        answers: [
          { when: /New passphrase for/, send: "short\r" },
          { when: /The same passphrase again:/, send: "short\r" },
          { when: /GitHub token for github\.com:/, send: `${token}\r` },
        ],
      });
      expect(prompted.code, prompted.output).toBe(0);
      expect(prompted.output).toContain("has 5 characters");
      // The sandbox's own passphrase is long: no warning.
      const long = await third.run(["add", "d", "--stdin", "--no-verify"], { input: third.canary(canaryToken()) });
      expect(long.code, long.stderr).toBe(0);
      expect(long.stderr).not.toContain("warning: the passphrase");
    } finally {
      other.cleanup();
      third.cleanup();
    }
  });
});

describe("import without --from", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("lists the sources it knows (2) and touches nothing", async () => {
    const sb = sandbox();
    const result = await sb.run(["import"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "required option '--from <source>' not specified; it takes one of: git-credentials, gh.",
    );
    expect(result.stderr).toContain("ghpat import --from git-credentials");
    expect(result.stdout).toBe("");
    expect(sb.readIndexText()).toBeNull();
  });
});

describe("GHPAT_API_URL on a port fetch refuses", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("says that the port is blocked, not that the API could not be reached (5)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    for (const args of [
      ["verify", "--stdin"],
      ["add", "--stdin"],
    ]) {
      const result = await sb.run(args, { input: token, env: { GHPAT_API_URL: "http://127.0.0.1:6000" } });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('port 6000 is one the Fetch standard blocks ("bad port")');
      expect(result.stderr).toContain("Use another port in GHPAT_API_URL");
      expect(result.stderr).not.toContain("Could not reach");
    }
    expect(sb.readIndexText()).toBeNull();
  });
});

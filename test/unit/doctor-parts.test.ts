import { describe, expect, it } from "vitest";
import { judgePermissions } from "../../src/storage/file-safety.js";
import { freeName, parseAccount, rebasedRecord, reconcile, recoveredRecord } from "../../src/core/reconcile.js";
import { readFileSync } from "node:fs";
import {
  ghpatHelperCommand,
  helperChain,
  helperTarget,
  parseGitConfigList,
  subsectionApplies,
} from "../../src/core/git-helper-chain.js";
import {
  checkNodeVersion,
  nodeSupported,
  SUPPORTED_NODE,
  versionAtLeast,
} from "../../src/commands/doctor/node-version.js";
import { proxyFor } from "../../src/commands/doctor/api.js";
import { refuseTokenArguments } from "../../src/commands/shared/token-argument.js";
import { proxySettings } from "../../src/github/proxy-settings.js";
import { canaryFineGrained, canaryInstallationJwt, canaryToken } from "../helpers/canary.js";
import { makeRecord as record } from "../helpers/records.js";

describe("index permissions, as ssh would judge them", () => {
  const me = 1000;
  it.each([
    [0o600, "file", me, "ok"],
    [0o700, "directory", me, "ok"],
    [0o644, "file", me, "tighten"],
    [0o755, "directory", me, "tighten"],
    [0o620, "file", me, "refuse"],
    [0o666, "file", me, "refuse"],
    [0o777, "directory", me, "refuse"],
    [0o600, "file", 1001, "refuse"],
    [0o600, "file", 0, "ok"],
  ] as const)("mode %o on a %s owned by %i: %s", (mode, kind, uid, verdict) => {
    expect(judgePermissions({ mode, uid }, kind, me, "linux").kind).toBe(verdict);
  });
  it("checks nothing on Windows", () => {
    expect(judgePermissions({ mode: 0o666, uid: 5 }, "file", me, "win32").kind).toBe("ok");
  });
  it("names who may write", () => {
    expect(judgePermissions({ mode: 0o662, uid: me }, "file", me, "linux")).toMatchObject({
      reason: expect.stringContaining("group and others"),
    });
    expect(judgePermissions({ mode: 0o602, uid: me }, "file", me, "linux")).toMatchObject({
      reason: expect.stringContaining("writable by others"),
    });
  });
});

describe("reconciling the index with the store", () => {
  it("finds records without secrets, secrets without records and accounts ghpat cannot have written", () => {
    const records = [record("a"), record("b", { host: "ghe.example.com" })];
    const found = reconcile(records, [
      "github.com/a",
      "github.com/c",
      "github.com/c",
      "nohost",
      "EVIL.com/x",
      "github.com/bad name",
    ]);
    expect(found.recordsWithoutSecret.map((r) => r.name)).toEqual(["b"]);
    expect(found.secretsWithoutRecord).toEqual([{ account: "github.com/c", host: "github.com", name: "c" }]);
    expect(found.unknownAccounts.sort()).toEqual(["EVIL.com/x", "github.com/bad name", "nohost"]);
  });

  it("parses accounts only of the shape ghpat writes", () => {
    expect(parseAccount("ghe.example.com:8443/alice@ghe.example.com:8443")).toEqual({
      host: "ghe.example.com:8443",
      name: "alice@ghe.example.com:8443",
    });
    expect(parseAccount("/x")).toBeNull();
    expect(parseAccount("github.com/")).toBeNull();
  });

  it("finds a free name for a recovered secret", () => {
    expect(freeName("work", "ghe.io", new Set())).toBe("work");
    expect(freeName("work", "ghe.io", new Set(["work"]))).toBe("work@ghe.io");
    expect(freeName("work", "ghe.io", new Set(["work", "work@ghe.io"]))).toBe("work@ghe.io-2");
  });

  it("describes a recovered or swapped secret as unverified, from the secret alone", () => {
    const token = canaryToken();
    const now = new Date("2026-05-01T00:00:00Z");
    expect(recoveredRecord("github.com", "x", token, now, true)).toMatchObject({
      name: "x",
      type: "classic",
      fingerprint: `ghp_…${token.slice(-4)}`,
      status: "unverified",
      login: null,
      default: true,
      addedAt: now.toISOString(),
    });
    const fine = canaryFineGrained();
    const rebased = rebasedRecord(record("a", { default: true, match: ["o/*"], note: "n" }), fine);
    expect(rebased).toMatchObject({
      name: "a",
      type: "fine-grained",
      login: null,
      scopes: null,
      status: "unverified",
      default: true,
      match: ["o/*"],
      note: "n",
    });
    expect(JSON.stringify([recoveredRecord("github.com", "x", token, now, false), rebased])).not.toContain(token);
  });
});

describe("git wiring", () => {
  it("parses git config --null --show-scope --show-origin, keys without values included", () => {
    const out =
      "global\0file:/h/.gitconfig\0credential.helper\nstore\0global\0file:/h/.gitconfig\0credential.https://github.com.helper\n\0local\0file:.git/config\0credential.usehttppath\0";
    expect(parseGitConfigList(out)).toEqual([
      { scope: "global", origin: "file:/h/.gitconfig", key: "credential.helper", value: "store" },
      { scope: "global", origin: "file:/h/.gitconfig", key: "credential.https://github.com.helper", value: "" },
      { scope: "local", origin: "file:.git/config", key: "credential.usehttppath", value: "", bare: true },
    ]);
  });

  it("recognises the helper setup-git writes", () => {
    expect(ghpatHelperCommand("!'/usr/bin/node' '/opt/ghpat/bin/ghpat.js' git-credential")).toBe(
      "'/usr/bin/node' '/opt/ghpat/bin/ghpat.js'",
    );
    expect(ghpatHelperCommand("!/usr/local/bin/ghpat git-credential")).toBe("/usr/local/bin/ghpat");
    expect(ghpatHelperCommand("store")).toBeNull();
    expect(ghpatHelperCommand("!/usr/bin/other git-credential")).toBeNull();
  });

  it("follows git's helper list: values add up, an empty one clears, the order of the files decides", () => {
    const entry = (key: string, value: string, scope = "global") => ({ scope, origin: "file:x", key, value });
    const target = helperTarget("github.com");
    const values = (entries: ReturnType<typeof entry>[]) => helperChain(entries, target).chain.map((e) => e.value);
    const entries = [
      entry("credential.helper", "store"),
      entry("credential.https://github.com.helper", ""),
      entry("credential.https://github.com.helper", "!ghpat git-credential"),
      entry("credential.https://other.com.helper", "cache"),
    ];
    expect(values(entries)).toEqual(["!ghpat git-credential"]);
    expect(values(entries.slice(0, 1).concat(entries.slice(2)))).toEqual(["store", "!ghpat git-credential"]);
    // The newcomer's loop: a general store line after ghpat's reset is run after ghpat.
    expect(values([...entries.slice(1, 3), entry("credential.helper", "store")])).toEqual([
      "!ghpat git-credential",
      "store",
    ]);
    expect(values([...entries.slice(1, 3), entry("credential.helper", "osxkeychain", "command")])).toEqual([
      "!ghpat git-credential",
      "osxkeychain",
    ]);
  });

  it("matches section URLs as git does: scheme, host wildcards, default ports, partial URLs; a path or user section may apply", () => {
    const target = helperTarget("github.com");
    expect(subsectionApplies("", target)).toBe("yes");
    expect(subsectionApplies("https://github.com", target)).toBe("yes");
    expect(subsectionApplies("https://GitHub.com:443/", target)).toBe("yes");
    expect(subsectionApplies("https://*.com", target)).toBe("yes");
    expect(subsectionApplies("https://*.github.com", target)).toBe("no");
    expect(subsectionApplies("http://github.com", target)).toBe("no");
    expect(subsectionApplies("https://github.com:8443", target)).toBe("no");
    expect(subsectionApplies("github.com", target)).toBe("yes");
    expect(subsectionApplies("https://github.com/acme", target)).toBe("maybe");
    expect(subsectionApplies("https://me@github.com", target)).toBe("maybe");
    expect(subsectionApplies("https://ghe.example.com:8443", helperTarget("ghe.example.com:8443"))).toBe("yes");
    // A path section's reset does not clear the host's list; its helper counts.
    const entry = (key: string, value: string) => ({ scope: "global", origin: "file:x", key, value });
    expect(
      helperChain(
        [entry("credential.helper", "store"), entry("credential.https://github.com/acme.helper", "")],
        target,
      ).chain.map((e) => e.value),
    ).toEqual(["store"]);
    expect(
      helperChain(
        [entry("credential.helper", ""), entry("credential.https://github.com/acme.helper", "cache")],
        target,
      ).chain.map((e) => e.value),
    ).toEqual(["cache"]);
  });
});

describe("node version and proxy", () => {
  it("compares versions numerically", () => {
    expect(versionAtLeast("20.19.0", [20, 19, 0])).toBe(true);
    expect(versionAtLeast("v22.1.0", [20, 19, 0])).toBe(true);
    expect(versionAtLeast("20.9.9", [20, 19, 0])).toBe(false);
  });

  it("supports the Node lines package.json's engines names, and warns on any other", () => {
    const engines = (
      JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } }
    ).engines.node;
    expect(SUPPORTED_NODE.range).toBe(engines);
    for (const version of ["22.13.0", "v22.23.5", "24.0.0", "24.22.3", "26.10.0"])
      expect([version, nodeSupported(version)]).toEqual([version, true]);
    for (const version of ["18.20.0", "20.19.0", "20.20.2", "22.12.0", "v22.1.0", "23.11.0", "bogus"])
      expect([version, nodeSupported(version)]).toEqual([version, false]);
    expect(checkNodeVersion("24.1.0")).toMatchObject({ status: "ok", fix: null });
    expect(checkNodeVersion("20.19.0")).toMatchObject({
      status: "warn",
      summary: expect.stringContaining("^22.13.0 || >=24"),
      fix: expect.stringContaining("Node.js 24 or 22"),
    });
  });

  it("names the proxy undici will use, hiding its password, and honours NO_PROXY", () => {
    expect(proxyFor("https://api.github.com", { HTTPS_PROXY: "http://user:pw@proxy:3128" })).toBe(
      "http://***@proxy:3128",
    );
    expect(proxyFor("https://api.github.com", { https_proxy: "http://proxy:3128", NO_PROXY: "github.com" })).toBeNull();
    expect(proxyFor("http://127.0.0.1:9", { HTTPS_PROXY: "http://proxy:3128" })).toBeNull();
    expect(proxyFor("http://127.0.0.1:9", { HTTP_PROXY: "http://proxy:3128" })).toBe("http://proxy:3128");
  });

  it("names the proxy requests really take: lower case first, and http_proxy for https when no https_proxy is set", () => {
    expect(proxyFor("https://api.github.com", { HTTP_PROXY: "http://plain:3128" })).toBe("http://plain:3128");
    expect(
      proxyFor("https://api.github.com", { https_proxy: "http://lower:3128", HTTPS_PROXY: "http://upper:3128" }),
    ).toBe("http://lower:3128");
    expect(proxyFor("https://api.github.com", { HTTPS_PROXY: "http://p:3128", no_proxy: "api.github.com" })).toBeNull();
    expect(
      proxySettings({
        https_proxy: "http://lower:3128",
        HTTPS_PROXY: "http://upper:3128",
        HTTP_PROXY: "http://plain:3128",
        NO_PROXY: "x",
      }),
    ).toEqual({
      httpProxy: "http://plain:3128",
      httpsProxy: "http://lower:3128",
      noProxy: "x",
    });
  });
});

describe("tokens on the command line", () => {
  it("are refused in any position or option, whole or embedded", () => {
    const token = canaryToken();
    const jwt = canaryInstallationJwt();
    for (const argv of [
      [token],
      ["add", "x", "--note", `old one was ${token}`],
      ["add", `--note=${token}`],
      ["list", "--host", canaryFineGrained()],
      ["add", "a".repeat(0) + "0123456789abcdef0123456789abcdef01234567"],
      [jwt],
      ["add", "x", "--note", `app token ${jwt}`],
    ]) {
      expect(() => refuseTokenArguments(argv)).toThrow(/looks like a token/);
    }
  });

  it("are refused from the shortest a token can be, 20 characters", () => {
    for (const value of ["ghp_abcdefghijklmnop", "ghs_abcdefgh.jklmnop", "gho_0123456789ABCDEF"]) {
      expect(value).toHaveLength(20);
      expect(() => refuseTokenArguments(["list", "--host", value])).toThrow(/looks like a token/);
      expect(() => refuseTokenArguments([`--note=${value}`])).toThrow(/looks like a token/);
      expect(() => refuseTokenArguments(["list", "--host", value.slice(0, 19)])).not.toThrow();
    }
  });

  it("let ordinary arguments and everything after -- through", () => {
    expect(() =>
      refuseTokenArguments(["add", "ghp_backup", "--note", "rotate ghp_ tokens yearly", "--match", "acme/*"]),
    ).not.toThrow();
    expect(() => refuseTokenArguments(["exec", "--", "curl", "-H", `x: ${canaryToken()}`])).not.toThrow();
  });
});

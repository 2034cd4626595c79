import { makeRecord } from "../helpers/records.js";
import type { TokenRecord } from "../../src/core/record.js";
import { describe, expect, it } from "vitest";
import { asciiLower } from "../../src/core/ascii.js";
import {
  matchSpecificity,
  parseRepoPath,
  routeCredential,
  sameHost,
  type CredentialRequest,
  type Route,
} from "../../src/core/routing.js";

const record = makeRecord;

const NOW = new Date("2026-06-01T00:00:00Z");

function route(request: CredentialRequest, records: TokenRecord[], env: Record<string, string> = {}): Route {
  return routeCredential(request, records, { env, now: NOW });
}

/** The chosen token's name, "env:VAR", or null. */
function chosen(request: CredentialRequest, records: TokenRecord[], env: Record<string, string> = {}): string | null {
  const r = route(request, records, env);
  if (r.kind === "stored") return r.record.name;
  if (r.kind === "env") return `env:${r.variable}`;
  return null;
}

const https = (host: string, extra: Partial<CredentialRequest> = {}): CredentialRequest => ({
  protocol: "https",
  host,
  ...extra,
});

describe("host and protocol", () => {
  const records = [
    record("main", { default: true }),
    record("ghe", { host: "ghe.example.com:8443", login: "alice", default: true }),
  ];

  it("answers https for a stored host, ignoring ASCII case", () => {
    expect(chosen(https("github.com"), records)).toBe("main");
    expect(chosen(https("GitHub.COM"), records)).toBe("main");
    expect(chosen(https("GHE.example.com:8443"), records)).toBe("ghe");
  });

  it("answers nothing for anything but https", () => {
    for (const protocol of ["http", "HTTPS", "https ", "ssh", "", undefined]) {
      expect(chosen({ protocol, host: "github.com" }, records)).toBeNull();
    }
  });

  it("answers nothing without a host", () => {
    expect(chosen({ protocol: "https" }, records)).toBeNull();
    expect(chosen(https(""), records)).toBeNull();
  });

  it("never matches by suffix, prefix, substring, port or URL syntax", () => {
    const hostile = [
      "github.com.evil.example",
      "evilgithub.com",
      "api.github.com",
      "gist.github.com",
      "github.co",
      "github.com.",
      " github.com",
      "github.com ",
      "github.com:443",
      "github.com:",
      "github.com#@evil.example",
      "github.com@evil.example",
      "evil.example#github.com",
      "evil.example/github.com",
      "github.com/",
      "github.com\u2028",
      "gіthub.com", // Cyrillic і
      "ｇithub.com", // fullwidth g
      "ghe.example.com",
      "ghe.example.com:9443",
      "ghe.example.com:8443.evil.example",
    ];
    for (const host of hostile) expect(chosen(https(host), records), host).toBeNull();
  });

  it("lower-cases ASCII only: no Unicode case folding onto ASCII letters", () => {
    expect(asciiLower("GitHub.COM")).toBe("github.com");
    expect(asciiLower("\u212Aey")).toBe("\u212Aey"); // KELVIN SIGN, which toLowerCase() turns into "k"
    const kube = [record("kube", { host: "kube.example.com", default: true })];
    expect(chosen(https("\u212Aube.example.com"), kube)).toBeNull();
    expect(chosen(https("KUBE.example.com"), kube)).toBe("kube");
    expect(sameHost("", "")).toBe(false);
  });
});

describe("which token", () => {
  it("drops expired, revoked and rejected tokens", () => {
    const expired = record("old", { default: true, expiresAt: "2026-05-31T23:59:59Z" });
    const other = record("other", { login: "hubot" });
    expect(chosen(https("github.com"), [expired, other])).toBe("other");
    for (const status of ["revoked", "rejected", "expired"] as const) {
      expect(chosen(https("github.com"), [record("x", { status, default: true })])).toBeNull();
    }
    expect(chosen(https("github.com"), [record("x", { status: "unverified", login: null, default: true })])).toBe("x");
    expect(chosen(https("github.com"), [record("x", { expiresAt: "2026-06-02T00:00:00Z" })])).toBe("x");
    // Expiry at exactly now counts as expired.
    expect(chosen(https("github.com"), [record("x", { expiresAt: NOW.toISOString() })])).toBeNull();
  });

  it("requires a given username to be the token's login (x-access-token when the login is unknown)", () => {
    const records = [
      record("alice", { login: "alice", default: true }),
      record("bob", { login: "bob" }),
      record("ci", { login: null }),
    ];
    expect(chosen(https("github.com", { username: "bob" }), records)).toBe("bob");
    expect(chosen(https("github.com", { username: "Alice" }), records)).toBe("alice");
    expect(chosen(https("github.com", { username: "x-access-token" }), records)).toBe("ci");
    expect(chosen(https("github.com", { username: "mallory" }), records)).toBeNull();
    expect(chosen(https("github.com", { username: "" }), records)).toBe("alice");
    const r = route(https("github.com", { username: "bob" }), records);
    expect(r.kind === "stored" && r.username).toBe("bob");
    const anonymous = route(https("github.com", { username: "x-access-token" }), records);
    expect(anonymous.kind === "stored" && anonymous.username).toBe("x-access-token");
  });

  it("prefers the most specific --match pattern for a path", () => {
    const records = [
      record("default", { default: true }),
      record("owner", { match: ["acme"] }),
      record("star", { match: ["acme/*"] }),
      record("repo", { match: ["other/x", "acme/app"] }),
      record("repo-git", { match: ["acme/site.git"] }),
    ];
    expect(chosen(https("github.com", { path: "acme/app.git" }), records)).toBe("repo");
    expect(chosen(https("github.com", { path: "acme/app" }), records)).toBe("repo");
    expect(chosen(https("github.com", { path: "ACME/App.git" }), records)).toBe("repo");
    expect(chosen(https("github.com", { path: "acme/site" }), records)).toBe("repo-git");
    expect(chosen(https("github.com", { path: "acme/site.git" }), records)).toBe("repo-git");
    expect(chosen(https("github.com", { path: "acme/other.git" }), records)).toBe("star");
    expect(chosen(https("github.com", { path: "acme/app.git/info/lfs" }), records)).toBe("repo");
    expect(chosen(https("github.com", { path: "unrelated/app.git" }), records)).toBe("default");
    expect(chosen(https("github.com"), records)).toBe("default");
    expect(chosen(https("github.com", { path: "" }), records)).toBe("default");
    expect(chosen(https("github.com", { path: "/acme/app.git" }), records)).toBe("default");
  });

  it("reads no repository from a path with dot segments, which the server may resolve elsewhere", () => {
    const records = [record("default", { default: true }), record("acme", { match: ["acme"] })];
    for (const path of [
      "acme/../evil/x.git",
      "acme/x.git/../../evil/y.git",
      "acme/./x.git",
      "acme/..",
      "./acme/x.git",
    ]) {
      expect(parseRepoPath(path)).toBeNull();
      expect(chosen(https("github.com", { path }), records)).toBe("default");
    }
    // Dots inside a name are just characters.
    expect(parseRepoPath("acme/x..y.git")).toEqual({ owner: "acme", repo: "x..y" });
    expect(chosen(https("github.com", { path: "acme/.github.git" }), records)).toBe("acme");
  });

  it("ranks owner/repo over owner/* over owner", () => {
    const target = parseRepoPath("Acme/App.git");
    expect(target).toEqual({ owner: "Acme", repo: "App" });
    if (!target) return;
    expect(matchSpecificity("acme/app", target)).toBe(3);
    expect(matchSpecificity("acme/app.git", target)).toBe(3);
    expect(matchSpecificity("acme/*", target)).toBe(2);
    expect(matchSpecificity("ACME", target)).toBe(1);
    expect(matchSpecificity("acme/other", target)).toBe(0);
    expect(matchSpecificity("acm", target)).toBe(0);
    expect(matchSpecificity("acme-corp/*", target)).toBe(0);
    expect(parseRepoPath("acme")).toEqual({ owner: "acme", repo: null });
    expect(parseRepoPath("")).toBeNull();
    expect(matchSpecificity("acme/app", { owner: "acme", repo: null })).toBe(0);
    expect(matchSpecificity("acme/*", { owner: "acme", repo: null })).toBe(2);
  });

  it("breaks ties between equally specific patterns by default, then by name", () => {
    const b = record("b", { match: ["acme/*"] });
    const a = record("a", { match: ["acme/*"] });
    expect(chosen(https("github.com", { path: "acme/x" }), [b, a])).toBe("a");
    expect(chosen(https("github.com", { path: "acme/x" }), [a, { ...b, default: true }])).toBe("b");
  });

  it("skips unusable or other-user tokens when matching a path", () => {
    const records = [
      record("default", { default: true }),
      record("acme", { match: ["acme/*"], status: "rejected" }),
      record("acme2", { login: "bob", match: ["acme"] }),
    ];
    expect(chosen(https("github.com", { path: "acme/x" }), records)).toBe("acme2");
    expect(chosen(https("github.com", { path: "acme/x", username: "octocat" }), records)).toBe("default");
  });

  it("falls back to the host default, then the only token, then nothing", () => {
    expect(chosen(https("github.com"), [record("a"), record("b", { default: true })])).toBe("b");
    expect(chosen(https("github.com"), [record("only")])).toBe("only");
    expect(chosen(https("github.com"), [record("a"), record("b")])).toBeNull();
    expect(
      chosen(https("github.com", { path: "zzz/x" }), [
        record("a", { match: ["acme/*"] }),
        record("b", { match: ["globex"] }),
      ]),
    ).toBeNull();
    // The default of another host does not count.
    expect(
      chosen(https("github.com"), [record("a"), record("b"), record("c", { host: "ghe.example.com", default: true })]),
    ).toBeNull();
    const via = route(https("github.com"), [record("only")]);
    expect(via.kind === "stored" && via.via).toBe("only");
  });
});

describe("the environment fallback", () => {
  const cloud = {
    GH_TOKEN: "gh-env",
    GITHUB_TOKEN: "github-env",
    GH_ENTERPRISE_TOKEN: "ghe-env",
    GITHUB_ENTERPRISE_TOKEN: "github-ghe-env",
  };

  it("uses GH_TOKEN, then GITHUB_TOKEN, for github.com when nothing stored matches", () => {
    expect(chosen(https("github.com"), [], cloud)).toBe("env:GH_TOKEN");
    expect(chosen(https("github.com"), [], { GITHUB_TOKEN: "x" })).toBe("env:GITHUB_TOKEN");
    expect(chosen(https("github.com"), [record("a"), record("b")], cloud)).toBe("env:GH_TOKEN");
    const r = route(https("github.com"), [], cloud);
    expect(r).toEqual({ kind: "env", token: "gh-env", variable: "GH_TOKEN", username: "x-access-token" });
  });

  it("answers a request naming a user only when that user is x-access-token", () => {
    expect(chosen(https("github.com", { username: "octocat" }), [], cloud)).toBeNull();
    expect(chosen(https("github.com", { username: "x-access-token" }), [], cloud)).toBe("env:GH_TOKEN");
    expect(chosen(https("github.com", { username: "" }), [], cloud)).toBe("env:GH_TOKEN");
  });

  it("prefers any stored match to the environment", () => {
    expect(chosen(https("github.com"), [record("only")], cloud)).toBe("only");
  });

  it("uses GH_ENTERPRISE_TOKEN only for a host ghpat knows: a stored host or GH_HOST", () => {
    const stored = [record("x", { host: "ghe.example.com", status: "revoked" })];
    expect(chosen(https("ghe.example.com"), stored, cloud)).toBe("env:GH_ENTERPRISE_TOKEN");
    expect(chosen(https("ghe.example.com"), [], { ...cloud, GH_HOST: "GHE.example.com" })).toBe(
      "env:GH_ENTERPRISE_TOKEN",
    );
    expect(chosen(https("ghe.example.com"), [], { GITHUB_ENTERPRISE_TOKEN: "y", GH_HOST: "ghe.example.com" })).toBe(
      "env:GITHUB_ENTERPRISE_TOKEN",
    );
    expect(chosen(https("tenant.ghe.com"), [], { ...cloud, GH_HOST: "tenant.ghe.com" })).toBe("env:GH_TOKEN");
  });

  it("gives a token set along with GH_HOST to GH_HOST alone (and github.com its GH_TOKEN), never to another stored host", () => {
    const stored = [
      record("x", { host: "ghe-a.example.com", status: "revoked" }),
      record("t", { host: "one.ghe.com", status: "revoked" }),
    ];
    const forB = { ...cloud, GH_HOST: "ghe-b.example.com" };
    expect(chosen(https("ghe-a.example.com"), stored, forB)).toBeNull();
    expect(chosen(https("ghe-b.example.com"), stored, forB)).toBe("env:GH_ENTERPRISE_TOKEN");
    expect(chosen(https("github.com"), stored, forB)).toBe("env:GH_TOKEN");
    const forTenantTwo = { ...cloud, GH_HOST: "two.ghe.com" };
    expect(chosen(https("one.ghe.com"), stored, forTenantTwo)).toBeNull();
    expect(chosen(https("two.ghe.com"), stored, forTenantTwo)).toBe("env:GH_TOKEN");
    // Without GH_HOST, a stored host still gets the environment's token (the rule above).
    expect(chosen(https("ghe-a.example.com"), stored, cloud)).toBe("env:GH_ENTERPRISE_TOKEN");
  });

  it("never hands an environment token to a host git merely asks about", () => {
    for (const host of [
      "evil.example",
      "api.github.com",
      "github.com.evil.example",
      "evil.ghe.com",
      "ghe.example.com",
    ]) {
      expect(chosen(https(host), [], cloud), host).toBeNull();
    }
    expect(chosen({ protocol: "http", host: "github.com" }, [], cloud)).toBeNull();
  });
});

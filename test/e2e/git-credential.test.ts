import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { expect, it } from "vitest";
import { parseIndex, statStamp } from "../../src/storage/index-reader.js";
import { canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { expectGitOk, ghpatHelper, gitEnv, lines, runGit, writeAskpass } from "../helpers/git.js";
import { BIN, type Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

type Operation = "fill" | "approve" | "reject";

/**
 * t/lib-credential.sh's `check`: git drives ghpat through
 * `git credential <op>` with ghpat as the only helper and the askpass stub
 * standing in for the user, so "no answer" shows up as a prompt on stderr.
 */
async function check(sb: Sandbox, operation: Operation, request: string[], config: string[] = []) {
  const askpass = writeAskpass(sb.dir);
  const args = [
    "-c",
    "credential.helper=",
    "-c",
    `credential.helper=${ghpatHelper()}`,
    ...config.flatMap((c) => ["-c", c]),
    "credential",
    operation,
  ];
  const result = await runGit(sb, args, {
    input: `${request.join("\n")}\n`,
    env: gitEnv(sb, { GIT_ASKPASS: askpass }),
    secretOnStdout: true,
  });
  expectGitOk(result, `git credential ${operation}`);
  return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
}

async function listed(sb: Sandbox): Promise<Array<Record<string, unknown>>> {
  const result = await sb.run(["list", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const askpassBoth = (url: string, userUrl: string) => [
  `askpass: Username for '${url}':`,
  `askpass: Password for '${userUrl}':`,
];

describeEachStore("git credential fill/approve/reject with ghpat as the helper (t/lib-credential.sh scenarios)", () => {
  const { api, sandbox } = useWorld();

  async function withOctocat() {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    seedVerified(sb, api, token, { login: "octocat", scopes: ["repo"] });
    return { sb, token };
  }

  it("has no data for a host it stores nothing for: git asks the user", async () => {
    const { sb } = await withOctocat();
    const { stdout, stderr } = await check(sb, "fill", ["protocol=https", "host=example.com"]);
    expect(stdout).toEqual([
      "protocol=https",
      "host=example.com",
      "username=askpass-username",
      "password=askpass-password",
    ]);
    expect(stderr).toEqual(askpassBoth("https://example.com", "https://askpass-username@example.com"));
  });

  it("answers a matching protocol, host and username", async () => {
    const { sb, token } = await withOctocat();
    const expected = ["protocol=https", "host=github.com", "username=octocat", `password=${token}`];
    expect(await check(sb, "fill", ["protocol=https", "host=github.com"])).toEqual({ stdout: expected, stderr: [] });
    expect(await check(sb, "fill", ["protocol=https", "host=GitHub.com", "username=octocat"])).toEqual({
      stdout: ["protocol=https", "host=GitHub.com", "username=octocat", `password=${token}`],
      stderr: [],
    });
  });

  it("requires a matching protocol", async () => {
    const { sb } = await withOctocat();
    const { stdout, stderr } = await check(sb, "fill", ["protocol=http", "host=github.com"]);
    expect(stdout).toEqual([
      "protocol=http",
      "host=github.com",
      "username=askpass-username",
      "password=askpass-password",
    ]);
    expect(stderr).toEqual(askpassBoth("http://github.com", "http://askpass-username@github.com"));
  });

  it("requires a matching host", async () => {
    const { sb } = await withOctocat();
    for (const host of ["other.tld", "github.com.other.tld", "api.github.com", "github.com:8443"]) {
      const { stdout, stderr } = await check(sb, "fill", ["protocol=https", `host=${host}`]);
      expect(stdout).toEqual([
        "protocol=https",
        `host=${host}`,
        "username=askpass-username",
        "password=askpass-password",
      ]);
      expect(stderr).toEqual(askpassBoth(`https://${host}`, `https://askpass-username@${host}`));
    }
  });

  it("requires a matching username", async () => {
    const { sb } = await withOctocat();
    const { stdout, stderr } = await check(sb, "fill", ["protocol=https", "host=github.com", "username=other"]);
    expect(stdout).toEqual(["protocol=https", "host=github.com", "username=other", "password=askpass-password"]);
    expect(stderr).toEqual(["askpass: Password for 'https://other@github.com':"]);
  });

  it("requires a matching path when git sends one (useHttpPath)", async () => {
    const sb = sandbox();
    const first = sb.canary(canaryToken());
    const acme = sb.canary(canaryToken());
    const globex = sb.canary(canaryToken());
    seedVerified(sb, api, first, { login: "first", scopes: ["repo"] });
    seedVerified(sb, api, acme, { login: "ann", scopes: ["repo"] }, { match: ["acme/*"] });
    seedVerified(sb, api, globex, { login: "gus", scopes: ["repo"] }, { match: ["globex/lib"] });
    // Removing the default leaves two tokens and no default: only a matching path gets an answer.
    expect((await sb.run(["remove", "first", "--yes"])).code).toBe(0);
    const withPath = ["credential.useHttpPath=true"];

    const hit = await check(sb, "fill", ["protocol=https", "host=github.com", "path=acme/app.git"], withPath);
    expect(hit).toEqual({
      stdout: ["protocol=https", "host=github.com", "path=acme/app.git", "username=ann", `password=${acme}`],
      stderr: [],
    });
    const other = await check(sb, "fill", ["protocol=https", "host=github.com", "path=globex/lib.git"], withPath);
    expect(other.stdout).toContain(`password=${globex}`);

    const miss = await check(sb, "fill", ["protocol=https", "host=github.com", "path=globex/app.git"], withPath);
    expect(miss.stdout).toEqual([
      "protocol=https",
      "host=github.com",
      "path=globex/app.git",
      "username=askpass-username",
      "password=askpass-password",
    ]);
    expect(miss.stderr).toEqual(
      askpassBoth("https://github.com/globex/app.git", "https://askpass-username@github.com/globex/app.git"),
    );
  });

  it("stores multiple users and answers each by username", async () => {
    const sb = sandbox();
    const one = sb.canary(canaryToken());
    const two = sb.canary(canaryToken());
    seedVerified(sb, api, one, { login: "user1", scopes: ["repo"] });
    seedVerified(sb, api, two, { login: "user2", scopes: ["repo"] });
    expect((await check(sb, "fill", ["protocol=https", "host=github.com", "username=user1"])).stdout).toEqual([
      "protocol=https",
      "host=github.com",
      "username=user1",
      `password=${one}`,
    ]);
    expect((await check(sb, "fill", ["protocol=https", "host=github.com", "username=user2"])).stdout).toEqual([
      "protocol=https",
      "host=github.com",
      "username=user2",
      `password=${two}`,
    ]);
    // No username: the host's default (the first added).
    expect((await check(sb, "fill", ["protocol=https", "host=github.com"])).stdout).toContain(`password=${one}`);
  });

  it("does not erase on a password distinct from its own; erases (marks rejected) on its own; remembers the other user", async () => {
    const sb = sandbox();
    const one = sb.canary(canaryToken());
    const two = sb.canary(canaryToken());
    const foreign = sb.canary(canaryToken());
    seedVerified(sb, api, one, { login: "user1", scopes: ["repo"] });
    seedVerified(sb, api, two, { login: "user2", scopes: ["repo"] });
    const before = sb.readIndexText();

    for (const request of [
      ["protocol=https", "host=github.com", "username=user1", `password=${foreign}`],
      ["protocol=https", "host=github.com", "username=user1"],
      ["protocol=https", "host=evil.example", "username=user1", `password=${one}`],
    ]) {
      // Not ghpat's token, or not a request it answers: nothing to say.
      expect((await check(sb, "reject", request)).stderr).toEqual([]);
    }
    expect(sb.readIndexText()).toBe(before);
    expect((await check(sb, "fill", ["protocol=https", "host=github.com", "username=user1"])).stdout).toContain(
      `password=${one}`,
    );

    // The refusal is said once, on stderr, by the erase that marked the token; a second one says nothing.
    const refused = await check(sb, "reject", [
      "protocol=https",
      "host=github.com",
      "username=user1",
      `password=${one}`,
    ]);
    expect(refused.stdout).toEqual([]);
    expect(refused.stderr).toEqual([
      "ghpat: github.com refused token 'user1'; it will not be offered again until 'ghpat verify user1' passes",
    ]);
    expect(
      (await check(sb, "reject", ["protocol=https", "host=github.com", "username=user1", `password=${one}`])).stderr,
    ).toEqual([]);
    const forgotten = await check(sb, "fill", ["protocol=https", "host=github.com", "username=user1"]);
    expect(forgotten.stdout).toEqual([
      "protocol=https",
      "host=github.com",
      "username=user1",
      "password=askpass-password",
    ]);
    expect(forgotten.stderr).toEqual(["askpass: Password for 'https://user1@github.com':"]);
    expect((await check(sb, "fill", ["protocol=https", "host=github.com", "username=user2"])).stdout).toContain(
      `password=${two}`,
    );

    const records = await listed(sb);
    expect(records.map((r) => [r.name, r.status])).toEqual([
      ["user1", "rejected"],
      ["user2", "valid"],
    ]);
    // Marked, never deleted.
    expect(sb.storedSecret("github.com/user1")).toBe(one);

    // git later sees the token work after all (typed in by hand): the mark goes, and git gets it again.
    await check(sb, "approve", ["protocol=https", "host=github.com", "username=user1", `password=${one}`]);
    expect((await listed(sb)).map((r) => [r.name, r.status])).toEqual([
      ["user1", "valid"],
      ["user2", "valid"],
    ]);
    expect((await check(sb, "fill", ["protocol=https", "host=github.com", "username=user1"])).stdout).toContain(
      `password=${one}`,
    );
  });

  it("is not confused by a long wwwauth[] header", async () => {
    const { sb, token } = await withOctocat();
    const longValue = "a".repeat(1024 - 23);
    const confused = await check(sb, "fill", [
      "protocol=https",
      "host=badguy.example.com",
      `wwwauth[]=basic realm=${longValue}host=github.com`,
    ]);
    expect(confused.stdout).not.toContain(`password=${token}`);
    expect(confused.stderr).toEqual(
      askpassBoth("https://badguy.example.com", "https://askpass-username@badguy.example.com"),
    );

    // git 2.39 does not pass wwwauth[] on; straight to the helper, a 60 kB header is read past, not choked on.
    const direct = await sb.run(["git-credential", "get"], {
      input: `protocol=https\nwwwauth[]=Basic realm="${"b".repeat(60_000)}"\nhost=github.com\nwwwauth[]=Bearer\ncapability[]=authtype\n\n`,
      secretOnStdout: true,
    });
    expect(direct).toMatchObject({ code: 0, stdout: `username=octocat\npassword=${token}\n`, stderr: "" });
    const hostile = await sb.run(["git-credential", "get"], {
      input: `protocol=https\nhost=badguy.example.com\nwwwauth[]=basic realm=${"c".repeat(60_000)}\nhost=github.com\n`,
    });
    expect(hostile.stdout).toBe("");
  });

  it("never answers with an expired token, and gives git the expiry of a live one", async () => {
    const sb = sandbox();
    const expired = sb.canary(canaryToken());
    const live = sb.canary(canaryToken());
    seedVerified(sb, api, expired, { login: "old", scopes: ["repo"], expiration: expirationHeader(-2) });
    const prompt = await check(sb, "fill", ["protocol=https", "host=github.com"]);
    expect(prompt.stderr).toEqual(askpassBoth("https://github.com", "https://askpass-username@github.com"));

    seedVerified(sb, api, live, { login: "new", scopes: ["repo"], expiration: expirationHeader(30) });
    expect((await check(sb, "fill", ["protocol=https", "host=github.com"])).stdout).toContain(`password=${live}`);
    const liveRecord = (await listed(sb)).find((r) => r.name === "new");
    const direct = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n",
      secretOnStdout: true,
    });
    const expiry = Math.floor(Date.parse(String(liveRecord?.expiresAt)) / 1000);
    expect(direct.stdout).toBe(`username=new\npassword=${live}\npassword_expiry_utc=${expiry}\n`);
    expect(expiry * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it("never stores foreign credentials on approve, and records use of its own at most once a minute", async () => {
    const { sb, token } = await withOctocat();
    const foreign = sb.canary(canaryToken());
    const countItems = () => sb.storedAccounts().length;
    expect(countItems()).toBe(1);
    const before = sb.readIndexText();

    await check(sb, "approve", ["protocol=https", "host=github.com", "username=someone", `password=${foreign}`]);
    await check(sb, "approve", ["protocol=https", "host=example.com", "username=octocat", `password=${token}`]);
    expect(sb.readIndexText()).toBe(before);
    expect(countItems()).toBe(1);
    const stillAsks = await check(sb, "fill", ["protocol=https", "host=github.com", "username=someone"]);
    expect(stillAsks.stdout).toContain("password=askpass-password");

    await check(sb, "approve", ["protocol=https", "host=github.com", "username=octocat", `password=${token}`]);
    const [used] = await listed(sb);
    expect(Date.now() - Date.parse(String(used?.lastUsedAt))).toBeLessThan(60_000);
    const afterFirst = sb.readIndexText();
    await check(sb, "approve", ["protocol=https", "host=github.com", "username=octocat", `password=${token}`]);
    expect(sb.readIndexText()).toBe(afterFirst);
    expect(countItems()).toBe(1);
  });

  it("lets git fall through to the user when the secret store or the index is broken", async () => {
    const { sb, token } = await withOctocat();
    const askpass = writeAskpass(sb.dir);
    const args = ["-c", "credential.helper=", "-c", `credential.helper=${ghpatHelper()}`, "credential", "fill"];
    // No D-Bus for the keychain; no passphrase for the file store (and never a prompt).
    const noBus = await runGit(sb, args, {
      input: "protocol=https\nhost=github.com\n",
      env: gitEnv(sb, { GIT_ASKPASS: askpass, ...sb.lockedEnv() }),
    });
    expectGitOk(noBus, "fill without a usable secret store");
    expect(lines(noBus.stdout)).toEqual([
      "protocol=https",
      "host=github.com",
      "username=askpass-username",
      "password=askpass-password",
    ]);
    expect(noBus.stderr).toMatch(
      sb.store === "keychain"
        ? /ghpat git-credential: Could not read from the OS keychain/
        : /ghpat git-credential: .*GHPAT_PASSPHRASE/s,
    );
    expect(noBus.stderr).toContain("askpass: Username for 'https://github.com':");

    const direct = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n",
      env: sb.lockedEnv(),
    });
    expect(direct).toMatchObject({ code: 4, stdout: "" });

    writeFileSync(sb.indexPath(), "{ not json");
    const corrupt = await runGit(sb, args, {
      input: "protocol=https\nhost=github.com\n",
      env: gitEnv(sb, { GIT_ASKPASS: askpass }),
    });
    expectGitOk(corrupt, "fill with a corrupt index");
    expect(corrupt.stdout).not.toContain(token);
    expect(corrupt.stderr).toMatch(/is not valid/);
    expect(corrupt.stderr).toContain("askpass: Password for 'https://askpass-username@github.com':");
    expect(readFileSync(sb.indexPath(), "utf8")).toBe("{ not json");
  });

  it("answers with the environment token when nothing is stored, and never with one that would break a line", async () => {
    const sb = sandbox();
    const fromEnv = sb.canary(canaryToken());
    const ok = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n",
      env: { GH_TOKEN: fromEnv },
      secretOnStdout: true,
    });
    expect(ok).toMatchObject({ code: 0, stdout: `username=x-access-token\npassword=${fromEnv}\n` });
    const injected = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n",
      env: { GH_TOKEN: `${fromEnv}\nhost=evil.example` },
    });
    expect(injected).toMatchObject({ code: 0, stdout: "" });
    expect(injected.stderr).toContain("contains a line break or NUL");
  });

  it("prints nothing and exits 0 for an unknown operation, and reads nothing without one", async () => {
    const { sb } = await withOctocat();
    for (const args of [
      ["git-credential", "list"],
      ["git-credential", "GET"],
      ["git-credential"],
      ["git-credential", "get", "extra"],
    ]) {
      const result = await sb.run(args, { input: "protocol=https\nhost=github.com\n" });
      expect(result, args.join(" ")).toMatchObject({ code: 0, stdout: "", stderr: "" });
    }
  });

  // Windows cannot open a directory as a file, the unreadable input used here.
  it.skipIf(process.platform === "win32")(
    "says why when standard input cannot be read, and answers nothing",
    async () => {
      const { sb, token } = await withOctocat();
      const directory = openSync(sb.dir, "r");
      try {
        const result = spawnSync(process.execPath, [BIN, "git-credential", "get"], {
          env: sb.env,
          stdio: [directory, "pipe", "pipe"],
          encoding: "utf8",
        });
        expect(result).toMatchObject({ status: 0, stdout: "" });
        expect(result.stderr).toContain("could not read the credential request from standard input (EISDIR");
        expect(result.stderr).not.toContain("larger than");
        expect(result.stderr).not.toContain(token);
      } finally {
        closeSync(directory);
      }
    },
  );

  it("20 parallel get/store/erase processes leave a valid index and lose no record", async () => {
    const sb = sandbox();
    const tokens = Array.from({ length: 4 }, () => sb.canary(canaryToken()));
    sb.seed(tokens.map((token, i) => ({ name: `t${i}`, token, match: [`org${i}/*`] })));
    const request = (i: number, password?: string) =>
      `protocol=https\nhost=github.com\npath=org${i}/repo.git\n${password ? `username=x-access-token\npassword=${password}\n` : ""}\n`;
    const runs = Array.from({ length: 20 }, (_, n) => {
      const i = n % 4;
      const token = tokens[i] ?? "";
      // t0, t1 are used (store); t2, t3 are refused (erase); everyone reads.
      const operation = Math.floor(n / 4) % 2 === 0 ? "get" : i < 2 ? "store" : "erase";
      return sb.run(["git-credential", operation], {
        input: request(i, operation === "get" ? undefined : token),
        secretOnStdout: operation === "get",
        timeoutMs: 60_000,
      });
    });
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    // Each refusal is said once, by the erase that marked the token, however many erases raced.
    const said = results.flatMap((r) => r.stderr.split("\n").filter((l) => l !== ""));
    expect(said.sort()).toEqual(
      ["t2", "t3"].map(
        (name) =>
          `ghpat: github.com refused token '${name}'; it will not be offered again until 'ghpat verify ${name}' passes`,
      ),
    );

    const text = sb.readIndexText() ?? "";
    await parseIndex(text, sb.indexPath());
    // The last writer's stamp describes the file as it is: readers may trust it without re-validating.
    expect(readFileSync(`${sb.indexPath()}.validated`, "utf8")).toBe(statStamp(statSync(sb.indexPath())));
    const records = await listed(sb);
    expect(records.map((r) => [r.name, r.status, r.lastUsedAt !== null])).toEqual([
      ["t0", "unverified", true],
      ["t1", "unverified", true],
      ["t2", "rejected", false],
      ["t3", "rejected", false],
    ]);
    for (const [i, token] of tokens.entries()) expect(sb.storedSecret(`github.com/t${i}`)).toBe(token);
  }, 120_000);
});

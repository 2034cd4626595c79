import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { useWorld } from "../helpers/suite.js";
import { runOnTerminal } from "../helpers/terminal.js";
import type { Sandbox } from "../helpers/sandbox.js";

/** A change to secrets.enc and what ghpat must say about it. */
interface Damage {
  name: string;
  apply(original: Buffer): Buffer;
  says: RegExp;
}

function flip(offset: (length: number) => number): (original: Buffer) => Buffer {
  return (original) => {
    const copy = Buffer.from(original);
    const at = offset(copy.length);
    copy[at] = (copy[at] ?? 0) ^ 0x20;
    return copy;
  };
}

const DAMAGES: Damage[] = [
  {
    name: "a flipped byte in the magic",
    apply: flip(() => 0),
    says: /cannot be read: it does not start like a ghpat secrets file/,
  },
  {
    name: "a flipped byte in the scrypt parameters",
    apply: flip(() => 12),
    says: /cannot be read: its key-derivation parameters/,
  },
  { name: "a flipped byte in the salt", apply: flip(() => 20), says: /passphrase does not open/ },
  {
    name: "a flipped byte in the nonce",
    apply: flip(() => 33),
    says: /cannot be read: its contents fail authentication/,
  },
  { name: "a flipped byte in the passphrase check", apply: flip(() => 45), says: /passphrase does not open/ },
  {
    name: "a flipped byte in the ciphertext",
    apply: flip(() => 70),
    says: /cannot be read: its contents fail authentication/,
  },
  {
    name: "a flipped byte in the tag",
    apply: flip((n) => n - 1),
    says: /cannot be read: its contents fail authentication/,
  },
  {
    name: "truncation",
    apply: (o) => o.subarray(0, o.length - 20),
    says: /cannot be read: its contents fail authentication/,
  },
  {
    name: "truncation into the header",
    apply: (o) => o.subarray(0, 30),
    says: /cannot be read: it is only 30 bytes long/,
  },
  {
    name: "an unknown format version",
    apply: (o) => Buffer.concat([o.subarray(0, 8), Buffer.from([2]), o.subarray(9)]),
    says: /format version is 2, and this ghpat reads version 1/,
  },
];

describe("the encrypted file store (GHPAT_STORE=file)", () => {
  const { api, sandbox } = useWorld({ store: "file" });

  /** A file store holding one token, 'kept', written as the documented format says (not by ghpat). */
  async function seeded(): Promise<{ sb: Sandbox; kept: string }> {
    const sb = sandbox();
    const kept = sb.canary(canaryToken());
    sb.seed([{ name: "kept", token: kept }]);
    return { sb, kept };
  }

  it("holds the token only encrypted: not in secrets.enc, not in the index", async () => {
    const sb = sandbox();
    const kept = sb.canary(canaryToken());
    expect((await sb.run(["add", "kept", "--stdin", "--no-verify"], { input: kept })).code).toBe(0);
    const fine = sb.canary(canaryToken());
    api.addToken(fine, { login: "octocat", scopes: ["repo"] });
    expect((await sb.run(["add", "--stdin"], { input: fine })).code).toBe(0);
    const raw = readFileSync(sb.secretsPath());
    for (const token of [kept, fine]) {
      for (const encoding of ["utf8", "base64", "hex"] as const)
        expect(raw.includes(Buffer.from(token).toString(encoding))).toBe(false);
      expect(raw.includes(Buffer.from(token, "utf16le"))).toBe(false);
      expect(sb.readIndexText()?.includes(token)).toBe(false);
    }
    expect(sb.storedSecret("github.com/kept")).toBe(kept);
    expect(sb.storedSecret("github.com/octocat")).toBe(fine);
    expect(JSON.parse(sb.readIndexText() ?? "").tokens.map((t: { store: string }) => t.store)).toEqual([
      "file",
      "file",
    ]);
  });

  it.each(DAMAGES)("refuses $name with exit 4 and changes nothing", async ({ apply, says }) => {
    const { sb } = await seeded();
    const damaged = apply(readFileSync(sb.secretsPath()));
    writeFileSync(sb.secretsPath(), damaged);
    const index = sb.readIndexText();
    const other = sb.canary(canaryToken());
    for (const [args, input] of [
      [["token", "kept"]],
      [["add", "other", "--stdin", "--no-verify"], other],
      [["remove", "kept", "--yes"]],
    ] as const) {
      const result = await sb.run([...args], { input: input ?? "" });
      expect(result.code, result.stderr).toBe(4);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(says);
      expect(result.stderr).toContain(sb.secretsPath());
      expect(readFileSync(sb.secretsPath()).equals(damaged)).toBe(true);
      expect(sb.readIndexText()).toBe(index);
    }
  });

  // Unix modes: Windows has none to check.
  it.skipIf(process.platform === "win32")(
    "refuses a secrets file others can write (it may be an older copy swapped in) with exit 2, and tightens one others can read",
    async () => {
      const { sb, kept } = await seeded();
      const before = readFileSync(sb.secretsPath());
      const other = sb.canary(canaryToken());
      chmodSync(sb.secretsPath(), 0o620);
      for (const [args, input] of [
        [["token", "kept"]],
        [["add", "other", "--stdin", "--no-verify"], other],
        [["git-credential", "get"], "protocol=https\nhost=github.com\n\n"],
      ] as const) {
        const result = await sb.run([...args], { input: input ?? "" });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(`The file store ${sb.secretsPath()} is writable by its group (mode 0620)`);
        expect(result.stderr).toContain(`chmod 600 ${sb.secretsPath()}`);
      }
      expect(readFileSync(sb.secretsPath()).equals(before)).toBe(true);
      expect(statSync(sb.secretsPath()).mode & 0o777).toBe(0o620);

      chmodSync(sb.secretsPath(), 0o644);
      expect((await sb.run(["token", "kept"], { secretOnStdout: true })).stdout).toBe(`${kept}\n`);
      expect(statSync(sb.secretsPath()).mode & 0o777).toBe(0o600);
    },
  );

  it("refuses a wrong passphrase with exit 4 and changes nothing", async () => {
    const { sb, kept } = await seeded();
    const before = readFileSync(sb.secretsPath());
    const index = sb.readIndexText();
    const other = sb.canary(canaryToken());
    for (const [args, input] of [
      [["token", "kept"]],
      [["add", "other", "--stdin", "--no-verify"], other],
      [["remove", "kept", "--yes"]],
    ] as const) {
      const result = await sb.run([...args], { input: input ?? "", env: { GHPAT_PASSPHRASE: "not the passphrase" } });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain("passphrase does not open");
      expect(result.stderr).toContain("GHPAT_PASSPHRASE");
    }
    expect(readFileSync(sb.secretsPath()).equals(before)).toBe(true);
    expect(sb.readIndexText()).toBe(index);
    expect((await sb.run(["token", "kept"], { secretOnStdout: true })).stdout).toBe(`${kept}\n`);
  });

  it("takes --store file like GHPAT_STORE=file, before or after the command; list needs no passphrase", async () => {
    const sb = sandbox();
    const a = sb.canary(canaryToken());
    const b = sb.canary(canaryToken());
    const noStoreVariable = { GHPAT_STORE: undefined };
    expect(
      (await sb.run(["--store", "file", "add", "a", "--stdin", "--no-verify"], { input: a, env: noStoreVariable }))
        .code,
    ).toBe(0);
    expect(
      (await sb.run(["add", "b", "--stdin", "--no-verify", "--store", "file"], { input: b, env: noStoreVariable }))
        .code,
    ).toBe(0);
    expect(sb.storedSecret("github.com/a")).toBe(a);
    expect(sb.storedSecret("github.com/b")).toBe(b);
    // Each record names its store, so reading needs no flag; list needs no passphrase at all.
    expect((await sb.run(["token", "b"], { secretOnStdout: true, env: noStoreVariable })).stdout).toBe(`${b}\n`);
    const list = await sb.run(["list", "--json"], { env: { ...noStoreVariable, GHPAT_PASSPHRASE: undefined } });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((r: { name: string }) => r.name)).toEqual(["a", "b"]);
    const bad = await sb.run(["--store", "vault", "list"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("keychain, file");
  });

  it("never prompts without a terminal or under CI, and names GHPAT_PASSPHRASE (4)", async () => {
    const { sb } = await seeded();
    const noPassphrase = { GHPAT_PASSPHRASE: undefined };
    const piped = await sb.run(["token", "kept"], { env: noPassphrase });
    expect(piped.code).toBe(4);
    expect(piped.stderr).toContain("GHPAT_PASSPHRASE");
    const ci = await runOnTerminal(sb, ["token", "kept"], { env: { ...noPassphrase, CI: "true" } });
    expect(ci.code).toBe(4);
    expect(ci.output).toContain("GHPAT_PASSPHRASE");
    expect(ci.output).not.toMatch(/Passphrase of/);
    sb.assertNoLeak({ code: ci.code, signal: null, stdout: ci.output, stderr: "" });
  });

  it("git-credential get never asks for the passphrase, even on a terminal: git owns it (4, nothing for git)", async () => {
    const { sb } = await seeded();
    const result = await runOnTerminal(sb, ["git-credential", "get"], {
      env: { GHPAT_PASSPHRASE: undefined, CI: undefined },
      typed: "protocol=https\rhost=github.com\r\r\x04",
    });
    expect(result.code, result.output).toBe(4);
    expect(result.output).toContain("GHPAT_PASSPHRASE");
    expect(result.output).not.toMatch(/Passphrase of/);
    expect(result.output).not.toContain("password=");
    sb.assertNoLeak({ code: result.code, signal: null, stdout: result.output, stderr: "" });
  });

  it("asks for the passphrase on a terminal, masked", async () => {
    const { sb, kept } = await seeded();
    const result = await runOnTerminal(sb, ["token", "kept"], {
      env: { GHPAT_PASSPHRASE: undefined, CI: undefined },
      answers: [{ when: /Passphrase of .*secrets\.enc/, send: `${sb.passphrase}\r` }],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(kept);
    expect(result.output).not.toContain(sb.passphrase);
  });
});

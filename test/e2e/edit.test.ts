import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { keytarStore } from "../helpers/keyring.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { readSecretsFile, writeSecretsFile } from "../helpers/secrets-file.js";
import { describeEachStore, keyringEnv, useWorld } from "../helpers/suite.js";

interface Listed {
  name: string;
  host: string;
  fingerprint: string;
  default: boolean;
  match: string[];
  note: string | null;
}

async function listed(sb: Sandbox): Promise<Listed[]> {
  const result = await sb.run(["list", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Listed[];
}

/** Puts a token this index does not know into a slot, as another config directory sharing the service would. */
function plant(sb: Sandbox, account: string, secret: string): void {
  if (sb.store === "keychain") keytarStore({ env: keyringEnv ?? {} }, sb.service, account, secret);
  else
    writeSecretsFile(sb.secretsPath(), sb.passphrase, {
      ...readSecretsFile(sb.secretsPath(), sb.passphrase),
      [account]: secret,
    });
}

describeEachStore("edit: a record changed without its secret pasted again", () => {
  const { sandbox } = useWorld();

  function seeded() {
    const sb = sandbox();
    const work = sb.canary(canaryToken());
    const other = sb.canary(canaryToken());
    sb.seed([
      { name: "work", token: work, match: ["acme/*"], note: "CI" },
      { name: "other", token: other },
    ]);
    return { sb, work, other };
  }

  it("renames: the secret moves to the new name's slot, everything else stays, the old name is gone", async () => {
    const { sb, work } = seeded();
    const [before] = await listed(sb).then((r) => r.filter((t) => t.name === "work"));
    const renamed = await sb.run(["edit", "work", "--name", "acme"]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe("");
    expect(renamed.stderr).toContain("renamed 'work' to 'acme'");
    const records = await listed(sb);
    expect(records.map((r) => r.name)).toEqual(["acme", "other"]);
    expect(records[0]).toEqual({ ...before, name: "acme" });
    expect(sb.storedAccounts()).toEqual(["github.com/acme", "github.com/other"]);
    expect(sb.storedSecret("github.com/acme")).toBe(work);
    expect((await sb.run(["token", "acme"], { secretOnStdout: true })).stdout).toBe(`${work}\n`);
    expect((await sb.run(["token", "work"])).code).toBe(3);
    // The mark that announced the old slot went with it.
    expect(sb.readIndexText()).not.toContain("renamedFrom");
    // git's routing follows the new name.
    const which = JSON.parse((await sb.run(["which", "https://github.com/acme/app.git", "--json"])).stdout);
    expect(which.token.name).toBe("acme");
  });

  it("adds and removes --match patterns, sets or clears the note, makes it the default; refuses what cannot apply", async () => {
    const { sb } = seeded();
    const edited = await sb.run([
      "edit",
      "work",
      "--add-match",
      "globex",
      "--add-match",
      "acme/app",
      "--remove-match",
      "ACME/*",
      "--note",
      "deploys",
      "--default",
    ]);
    expect(edited.code, edited.stderr).toBe(0);
    let work = (await listed(sb)).find((r) => r.name === "work");
    expect(work).toMatchObject({ match: ["globex", "acme/app"], note: "deploys", default: true });
    expect((await listed(sb)).find((r) => r.name === "other")?.default).toBe(false);
    expect((await sb.run(["edit", "work", "--note", ""])).code).toBe(0);
    work = (await listed(sb)).find((r) => r.name === "work");
    expect(work?.note).toBeNull();

    const index = sb.readIndexText();
    const missing = await sb.run(["edit", "work", "--remove-match", "initech", "--add-match", "x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("has no --match pattern 'initech'");
    expect((await sb.run(["edit", "work", "--add-match", "a/b/c"])).code).toBe(2);
    expect((await sb.run(["edit", "work", "--name", "other"])).stderr).toContain(
      "A token named 'other' already exists",
    );
    expect((await sb.run(["edit", "work", "--name", "bad name"])).code).toBe(2);
    const nothing = await sb.run(["edit", "work"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("Nothing to change");
    expect((await sb.run(["edit", "nope", "--note", "x"])).code).toBe(3);
    expect(sb.readIndexText()).toBe(index);
  });

  it("never overwrites a slot that holds a token this index does not know: the rename is refused, both tokens whole", async () => {
    const { sb, work } = seeded();
    const foreign = sb.canary(canaryToken());
    plant(sb, "github.com/acme", foreign);
    const index = sb.readIndexText();
    const refused = await sb.run(["edit", "work", "--name", "acme"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already holds a token this index does not know");
    expect(sb.readIndexText()).toBe(index);
    expect(sb.storedSecret("github.com/acme")).toBe(foreign);
    expect(sb.storedSecret("github.com/work")).toBe(work);
  });

  it("a secret the store no longer has (or another token in its slot) is not moved: exit 3, nothing changed", async () => {
    const { sb } = seeded();
    const swapped = sb.canary(canaryToken());
    plant(sb, "github.com/work", swapped);
    const index = sb.readIndexText();
    const refused = await sb.run(["edit", "work", "--name", "acme"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("holds another token");
    expect(sb.readIndexText()).toBe(index);
    expect(sb.storedSecret("github.com/acme")).toBeNull();
    expect(sb.storedSecret("github.com/work")).toBe(swapped);
  });
});

describeEachStore("doctor after a rename killed before it emptied the old slot", () => {
  const { sandbox } = useWorld();

  it("knows the old slot by the record's renamedFrom: a leftover, not an orphan to re-create; --fix empties it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const foreign = sb.canary(canaryToken());
    // What the kill leaves: the record under its new name, announcing its old slot, which still holds the token.
    sb.seed([
      { name: "acme", token, renamedFrom: "work" },
      { name: "other", token: sb.canary(canaryToken()), renamedFrom: "gone" },
    ]);
    plant(sb, "github.com/work", token);
    // Another token where a mark points is never taken for a leftover.
    plant(sb, "github.com/gone", foreign);

    const report = await sb.run(["doctor", "--json"]);
    const orphans = JSON.parse(report.stdout).checks.find((c: { id: string }) => c.id === "orphans");
    expect(orphans.data.renameLeftovers).toEqual([{ name: "acme", account: "github.com/work" }]);
    // (The file store cannot list its items, so only the keychain finds the other one at all.)
    expect(orphans.data.secretsWithoutRecord).toEqual(sb.store === "keychain" ? ["github.com/gone"] : []);

    const fixed = await sb.run(["doctor", "--fix", "--json"]);
    const repaired = JSON.parse(fixed.stdout).checks.find((c: { id: string }) => c.id === "orphans")
      .repaired as string[];
    expect(repaired.some((line) => line.includes("emptied github.com/work"))).toBe(true);
    expect(sb.storedSecret("github.com/work")).toBeNull();
    expect(sb.storedSecret("github.com/acme")).toBe(token);
    expect(sb.storedSecret("github.com/gone")).toBe(foreign);
    const records = JSON.parse(sb.readIndexText() ?? "{}").tokens as Array<{ name: string; renamedFrom?: string }>;
    expect(records.find((r) => r.name === "acme")?.renamedFrom).toBeUndefined();
    expect((await sb.run(["token", "acme"], { secretOnStdout: true })).stdout).toBe(`${token}\n`);
  });
});

/** Runs the CLI with `file` bind-mounted read-only onto itself: reads work, and rename(2) onto it fails (EBUSY). */
function pinned(file: string): string[] {
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--mount",
    "sh",
    "-c",
    'mount --bind -o ro "$0" "$0" && exec "$@"',
    file,
  ];
}

describeEachStore("edit --name when the index cannot be written after the secret was", () => {
  const { sandbox } = useWorld();

  it("the new slot is taken back: the old name is whole and no copy is left under the new one", async () => {
    const sb = sandbox();
    const work = sb.canary(canaryToken());
    sb.seed([{ name: "work", token: work, match: ["acme/*"] }]);
    const index = sb.readIndexText();
    const failed = await sb.run(["edit", "work", "--name", "acme"], { wrap: pinned(sb.indexPath()) });
    expect(failed.code, failed.stderr).not.toBe(0);
    expect(failed.stdout).toBe("");
    expect(sb.readIndexText()).toBe(index);
    expect(sb.storedAccounts()).toEqual(["github.com/work"]);
    expect((await sb.run(["token", "work"], { secretOnStdout: true })).stdout).toBe(`${work}\n`);
    const doctor = await sb.run(["doctor", "--json"]);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "orphans")).toMatchObject({
      status: "ok",
    });
  });
});

describe("edit --name when the file store refuses the write", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("the secrets file cannot be replaced (a read-only bind mount): the rename fails and the old name is whole", async () => {
    const sb = sandbox();
    const work = sb.canary(canaryToken());
    sb.seed([{ name: "work", token: work, match: ["acme/*"] }]);
    const index = sb.readIndexText();
    // The store reads, but cannot write its file, while the index could be written.
    const failed = await sb.run(["edit", "work", "--name", "acme"], { wrap: pinned(sb.secretsPath()) });
    expect(failed.code, failed.stderr).toBe(4);
    expect(failed.stderr).toContain("Cannot write the file store");
    expect(failed.stdout).toBe("");
    expect(sb.readIndexText()).toBe(index);
    expect(sb.storedAccounts()).toEqual(["github.com/work"]);
    expect((await sb.run(["token", "work"], { secretOnStdout: true })).stdout).toBe(`${work}\n`);
    // The same command without the fault goes through.
    expect((await sb.run(["edit", "work", "--name", "acme"])).code).toBe(0);
    expect(sb.storedAccounts()).toEqual(["github.com/acme"]);
  });
});

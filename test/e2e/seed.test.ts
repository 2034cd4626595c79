import { expect, it } from "vitest";
import { macUnderKey } from "../../src/core/secret-mac.js";
import { readScanKey } from "../../src/storage/scan-key.js";
import type { TokenRecord } from "../../src/core/record.js";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader, type FakeToken } from "../helpers/fake-github.js";
import { Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeEachStore, keyringEnv, useWorld } from "../helpers/suite.js";

/**
 * The e2e tests seed their tokens (sb.seed, seedVerified) instead of running
 * `ghpat add`, which costs six times as much. That holds only while seeding
 * leaves what `add` leaves: this compares the two, record for record, and
 * checks ghpat reads the seeded secrets back.
 */
describeEachStore("seeding stands in for ghpat add", (store) => {
  const { api, sandbox } = useWorld();

  /** The index's records without the times of the run that wrote them, nor the keyed hash (each sandbox has its own key: it is checked against that). */
  function records(sb: Sandbox): Array<Partial<TokenRecord>> {
    const index = JSON.parse(sb.readIndexText() ?? "null") as { version: number; tokens: TokenRecord[] };
    expect(index.version).toBe(1);
    const key = readScanKey(sb.configDir);
    return index.tokens.map(({ addedAt, lastVerifiedAt, secretMac, ...rest }) => {
      expect(key !== null && macUnderKey(secretMac, key), `${rest.name} has a keyed hash under the sandbox's key`).toBe(
        true,
      );
      expect(Date.now() - Date.parse(addedAt)).toBeLessThan(60_000);
      if (rest.status === "valid") expect(lastVerifiedAt).toBe(addedAt);
      else expect(lastVerifiedAt).toBeNull();
      return rest;
    });
  }

  async function add(sb: Sandbox, token: string, args: string[]): Promise<void> {
    const result = await sb.run(["add", "--stdin", ...args], { input: token });
    expect(result.code, result.stderr).toBe(0);
  }

  it("leaves the records and secrets add leaves, verified or not, first of each host the default", async () => {
    const added = sandbox();
    const seeded = new Sandbox({ store, keyringEnv: store === "file" ? null : keyringEnv, apiUrl: api.url });
    try {
      const classic = added.canary(canaryToken());
      const fine = added.canary(canaryFineGrained());
      const plain = added.canary(canaryToken());
      const enterprise = added.canary(canaryToken());
      const classicInfo: FakeToken = { login: "octocat", scopes: ["repo", "gist"], expiration: expirationHeader(30) };
      const fineInfo: FakeToken = { login: "hubot" };
      api.addToken(classic, classicInfo);
      api.addToken(fine, fineInfo);
      await add(added, classic, []);
      await add(added, fine, ["bot", "--match", "acme/*", "--note", "ci"]);
      await add(added, plain, ["plain", "--no-verify", "--default"]);
      await add(added, enterprise, ["ghe", "--no-verify", "--host", "ghe.example.com"]);

      seedVerified(seeded, api, classic, classicInfo);
      seedVerified(seeded, api, fine, fineInfo, { name: "bot", match: ["acme/*"], note: "ci" });
      seeded.seed([
        { name: "plain", token: plain, default: true },
        { name: "ghe", token: enterprise, host: "ghe.example.com" },
      ]);

      expect(records(seeded)).toEqual(records(added));
      expect(seeded.storedAccounts()).toEqual(added.storedAccounts());
      for (const [name, token] of [
        ["octocat", classic],
        ["bot", fine],
        ["plain", plain],
        ["ghe", enterprise],
      ] as const) {
        const read = await seeded.run(["token", name], { secretOnStdout: true });
        expect(read, read.stderr).toMatchObject({ code: 0, stdout: `${token}\n` });
      }
      const listed = await seeded.run(["list", "--json"]);
      expect(listed.code, listed.stderr).toBe(0);
      const doctor = await seeded.run(["doctor"]);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    } finally {
      seeded.cleanup();
    }
  });
});

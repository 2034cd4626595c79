import { describe, expect, it } from "vitest";
import { CorruptIndexError } from "../../src/errors.js";
import { parseIndex } from "../../src/storage/index-reader.js";
import { makeRecord } from "../helpers/records.js";

async function problemOf(tokens: unknown[]): Promise<string> {
  const error = await parseIndex(JSON.stringify({ version: 1, tokens }), "/cfg/tokens.json").then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorruptIndexError);
  return (error as Error).message;
}

describe("a corrupt index names the record and the field", () => {
  it("says which record, by position and name, and what is wrong with which field", async () => {
    expect(await problemOf([{ ...makeRecord("work"), status: "lost" }])).toContain(
      "tokens[0] ('work'): status is not one of valid, unverified, revoked, expired, rejected",
    );
    expect(await problemOf([makeRecord("a"), { ...makeRecord("b"), addedAt: "yesterday" }])).toContain(
      "tokens[1] ('b'): addedAt is not an ISO 8601 date and time",
    );
    const withoutDefault: Record<string, unknown> = { ...makeRecord("c") };
    delete withoutDefault.default;
    expect(await problemOf([withoutDefault])).toContain("tokens[0] ('c'): default is missing");
    expect(await problemOf([{ ...makeRecord("d"), scopes: ["repo", 7] }])).toContain(
      "tokens[0] ('d'): scopes[1] is not a string",
    );
    expect(await problemOf([{ ...makeRecord("e"), sso: { url: 3 } }])).toContain(
      "tokens[0] ('e'): sso.url is not a string",
    );
    expect(await problemOf([{ ...makeRecord("f"), host: "" }])).toContain("tokens[0] ('f'): host is empty");
    expect(await problemOf(["not a record"])).toContain("tokens[0] is not an object");
  });

  it("quotes a hostile name with its control characters escaped", async () => {
    const message = await problemOf([{ ...makeRecord("x"), name: "evil\u001b[2Jname", status: 1 }]);
    expect(message).toContain(String.raw`tokens[0] ("evil\u001b[2Jname"): status is not one of`);
    expect(message).not.toContain("\u001b");
  });

  it("is no zod path: no 'Invalid input', no 'tokens.0.status'", async () => {
    const message = await problemOf([{ ...makeRecord("work"), status: "lost" }]);
    expect(message).not.toContain("Invalid input");
    expect(message).not.toContain("tokens.0");
  });
});

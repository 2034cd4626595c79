import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { commandReference, visibleCommands } from "../../src/cli/reference.js";
import { publicRecord, TOKEN_STATUSES, TOKEN_TYPES } from "../../src/core/record.js";
import { findReminders } from "../../src/core/reminders.js";
import { ROOT } from "../helpers/sandbox.js";

it("docs/commands.md is the program's current help (run 'npm run docs' after changing a command)", () => {
  const program = buildProgram();
  const generated = commandReference(program);
  const committed = readFileSync(join(ROOT, "docs", "commands.md"), "utf8");
  expect(committed, "docs/commands.md is out of date: run 'npm run docs'").toBe(generated);
  for (const { path } of visibleCommands(program)) expect(committed).toContain(`## ghpat ${path.join(" ")}\n`);
});

it("the README links the command reference", () => {
  expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("docs/commands.md");
});

/** The JSON Schema block that follows a README heading. */
function schemaAfter(
  readme: string,
  heading: string,
): { required: string[]; properties: Record<string, { enum?: string[] }> } {
  const start = readme.indexOf(`### ${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)\n```/.exec(readme.slice(start));
  const schema = JSON.parse(block?.[1] ?? "null");
  expect(schema.type).toBe("array");
  return schema.items;
}

it("the README's JSON schemas parse, and list's matches the record ghpat prints", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const list = schemaAfter(readme, "`ghpat list --json`");
  const sample = publicRecord({
    name: "n",
    host: "github.com",
    login: null,
    type: "classic",
    fingerprint: "ghp_…",
    scopes: null,
    expiresAt: null,
    expiryKnown: false,
    addedAt: "",
    lastVerifiedAt: null,
    lastUsedAt: null,
    status: "valid",
    default: false,
    match: [],
    note: null,
    extra: 1,
  });
  expect(list.required).toEqual(Object.keys(sample));
  expect(Object.keys(list.properties)).toEqual(Object.keys(sample));
  expect(list.properties.type?.enum).toEqual([...TOKEN_TYPES]);
  expect(list.properties.status?.enum).toEqual([...TOKEN_STATUSES]);

  const verify = schemaAfter(readme, "`ghpat verify --json`");
  expect(verify.required).toEqual([
    "name",
    "host",
    "ok",
    "status",
    "login",
    "type",
    "scopes",
    "expiresAt",
    "expiryKnown",
    "daysLeft",
    "sso",
    "rateLimit",
    "error",
  ]);
  expect(Object.keys(verify.properties)).toEqual(verify.required);
  const reminder = schemaAfter(readme, "`ghpat revoke-reminder --json`");
  const [finding] = findReminders([{ ...sample, status: "revoked" }], new Date());
  expect(reminder.required).toEqual(Object.keys(finding ?? {}));
  expect(Object.keys(reminder.properties)).toEqual(reminder.required);
});

import * as z from "zod/mini";
import { hasControls, quoted } from "./controls.js";
import {
  STORE_KINDS,
  TOKEN_STATUSES,
  TOKEN_TYPES,
  INDEX_VERSION,
  isValidLogin,
  isValidRepository,
  type Index,
  type TokenRecord,
} from "./record.js";
import { PERMISSION_LEVELS } from "./permissions.js";

const isoTime = z.iso.datetime({ offset: true });
const nullableTime = z.nullable(isoTime);

/** Strings that reach the terminal from an index: a permission name, a login, `owner/name`. */
const permissionName = z.string().check(z.regex(/^[a-z][a-z_]{0,63}$/));
const owner = z.string().check(z.refine(isValidLogin));
const repository = z.string().check(z.refine(isValidRepository));

/**
 * The metadata ghpat keeps about a token (docs/design.md section 2). It never holds
 * the secret. Unknown fields are kept so that an index touched by a newer
 * ghpat loses nothing when an older one rewrites it.
 */
export const TokenRecordSchema = z.looseObject({
  name: z.string().check(z.minLength(1)),
  host: z.string().check(z.minLength(1)),
  login: z.nullable(z.string()),
  type: z.enum(TOKEN_TYPES),
  fingerprint: z.string(),
  scopes: z.nullable(z.array(z.string())),
  expiresAt: nullableTime,
  expiryKnown: z.boolean(),
  addedAt: isoTime,
  lastVerifiedAt: nullableTime,
  lastUsedAt: nullableTime,
  status: z.enum(TOKEN_STATUSES),
  default: z.boolean(),
  match: z.array(z.string()),
  note: z.nullable(z.string()),
  store: z.optional(z.enum(STORE_KINDS)),
  staleCopyIn: z.optional(z.enum(STORE_KINDS)),
  sso: z.optional(z.object({ url: z.nullable(z.string()) })),
  pendingFingerprint: z.optional(z.string()),
  // Added with `ghpat new`: an index written before them has none, and stays readable.
  permissions: z.optional(z.nullable(z.record(permissionName, z.enum(PERMISSION_LEVELS)))),
  owner: z.optional(z.nullable(owner)),
  repositories: z.optional(z.nullable(z.array(repository))),
  repositoriesCheckedAt: z.optional(nullableTime),
  secretMac: z.optional(z.string().check(z.maxLength(200))),
  renamedFrom: z.optional(z.string()),
});

export const IndexSchema = z.looseObject({
  version: z.literal(INDEX_VERSION),
  tokens: z.array(TokenRecordSchema),
});

/** What a zod issue says, as far as the index's messages use it (zod/mini's own message is only "Invalid input"). */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  values?: readonly unknown[];
  format?: unknown;
  origin?: unknown;
  minimum?: unknown;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  number: "a number",
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `status`, `sso.url`, `scopes[2]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}

function whatIsWrong(issue: SchemaIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_value":
      return `is not one of ${(issue.values ?? []).map((v) => String(v)).join(", ")}`;
    case "invalid_type":
      if (value === undefined) return "is missing";
      return `is not ${EXPECTED[String(issue.expected)] ?? String(issue.expected)}`;
    case "invalid_format":
      return issue.format === "datetime"
        ? "is not an ISO 8601 date and time"
        : `is not a valid ${String(issue.format)}`;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "is empty" : "is too short";
    default:
      return `is not valid (${issue.message})`;
  }
}

/**
 * An index validation failure for people: the record by position and name,
 * then the field and what is wrong with it, e.g.
 * `tokens[0] ('work'): status is not one of valid, unverified, …`.
 * Names from the file are quoted with their control characters escaped.
 */
export function describeIndexIssue(issue: SchemaIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  const [top, index, ...rest] = issue.path;
  if (top === "tokens" && typeof index === "number") {
    const name = valueAt(data, ["tokens", index, "name"]);
    const who =
      typeof name === "string" && name !== ""
        ? ` (${hasControls(name) || name.includes("'") ? quoted(name) : `'${name}'`})`
        : "";
    const where = `tokens[${index}]${who}`;
    if (rest.length === 0) return `${where} ${whatIsWrong(issue, value)}`;
    return `${where}: ${fieldPath(rest)} ${whatIsWrong(issue, value)}`;
  }
  if (issue.path.length === 0) return `the file ${whatIsWrong(issue, value)}`;
  return `${fieldPath(issue.path)} ${whatIsWrong(issue, value)}`;
}

// The hand-written interfaces in record.ts and the schema must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schemaMatchesTypes: Same<z.infer<typeof IndexSchema>, Index> &
  Same<z.infer<typeof TokenRecordSchema>, TokenRecord> = true;

import * as z from "zod/mini";
import { STORE_KINDS, TOKEN_STATUSES, TOKEN_TYPES, INDEX_VERSION, isValidLogin, isValidRepository, type Index, type TokenRecord } from "./record.js";
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


// The hand-written interfaces in record.ts and the schema must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schemaMatchesTypes: Same<z.infer<typeof IndexSchema>, Index> & Same<z.infer<typeof TokenRecordSchema>, TokenRecord> = true;

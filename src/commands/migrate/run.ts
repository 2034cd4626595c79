import { storeKind, type Env, type StoreKind } from "../../config.js";
import { NotFoundError } from "../../errors.js";
import { migrateSecrets, type CrashPoint, type MigrationResult } from "../../storage/migrate.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";

export interface MigrateOptions {
  to: StoreKind;
}

const STORE_NAMES: Record<StoreKind, string> = { keychain: "OS keychain", file: "file store" };

/**
 * Test hook: GHPAT_TEST_CRASH_AT=<point> kills this process with SIGKILL at
 * that step of the migration, so tests can prove an interruption loses nothing.
 */
function crashPointFrom(env: Env): CrashPoint {
  const wanted = env.GHPAT_TEST_CRASH_AT;
  if (!wanted) return () => undefined;
  return (point) => {
    if (point === wanted) process.kill(process.pid, "SIGKILL");
  };
}

function names(records: MigrationResult["moved"]): string {
  return records.map((r) => `'${r.name}'`).join(", ");
}

/** Moves every secret into one store, verifying each copy before the original goes. */
export async function runMigrate(options: MigrateOptions, ctx: Context): Promise<MigrationResult> {
  const target = STORE_NAMES[options.to];
  const result = await migrateSecrets(openVault(ctx.env), options.to, crashPointFrom(ctx.env));
  const { moved, already, missing, cleaned } = result;
  if (moved.length > 0) ctx.out.info(`Moved ${moved.length} token${moved.length === 1 ? "" : "s"} to the ${target}: ${names(moved)}.`);
  else if (missing.length === 0) ctx.out.info(already.length === 0 ? "There are no tokens to move." : `All ${already.length} token${already.length === 1 ? " is" : "s are"} already in the ${target}.`);
  if (cleaned > moved.length) ctx.out.info(`Deleted ${cleaned - moved.length} cop${cleaned - moved.length === 1 ? "y" : "ies"} that an interrupted migration had left behind.`);
  if (storeKind(ctx.env) !== options.to) {
    ctx.out.info(`New tokens still go to the ${STORE_NAMES[storeKind(ctx.env)]}: set GHPAT_STORE=${options.to} (or pass --store ${options.to}) to keep them in the ${target} too.`);
  }
  if (missing.length > 0) {
    throw new NotFoundError(
      `The secret${missing.length === 1 ? "" : "s"} of ${names(missing)} ${missing.length === 1 ? "is" : "are"} missing from ${missing.length === 1 ? "its store" : "their stores"}, so ${missing.length === 1 ? "it was" : "they were"} not moved.`,
      `Re-add ${missing.length === 1 ? "it" : "them"} with 'ghpat add NAME --force', or drop the record${missing.length === 1 ? "" : "s"} with 'ghpat remove NAME'.`,
    );
  }
  return result;
}

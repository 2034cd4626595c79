import type { Env } from "../../config.js";
import type { Context } from "../shared/context.js";

export type CheckStatus = "ok" | "warn" | "fail";

/** One line of the doctor's report. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one line. */
  summary: string;
  /** What to do about it, in one line; null when there is nothing to do. */
  fix: string | null;
  /** Further lines: the items behind the summary. */
  details: string[];
  /** What --fix changed. */
  repaired: string[];
  /** Machine-readable findings for --json. */
  data?: unknown;
}

export interface DoctorContext {
  env: Env;
  ctx: Context;
  fix: boolean;
  /** --yes: --fix may drop more than one record, or every record of a store that holds none of their secrets. */
  yes?: boolean | undefined;
  timeoutMs: number;
}

export function result(
  id: string,
  title: string,
  status: CheckStatus,
  summary: string,
  extra: Partial<Pick<CheckResult, "fix" | "details" | "repaired" | "data">> = {},
): CheckResult {
  return {
    id,
    title,
    status,
    summary,
    fix: extra.fix ?? null,
    details: extra.details ?? [],
    repaired: extra.repaired ?? [],
    ...(extra.data !== undefined ? { data: extra.data } : {}),
  };
}

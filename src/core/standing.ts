import { currentStatus, msUntilExpiry, type TokenRecord } from "./record.js";

/** How a token stands for `status`: its current status, with `expiring` for a live token near its expiry. */
export type Standing = "valid" | "expiring" | "expired" | "revoked" | "rejected" | "unverified";

const DAY_MS = 86_400_000;

/** `expiring`: a usable token whose known expiry is less than `days` days away. */
export function standingOf(record: Pick<TokenRecord, "status" | "expiresAt">, now: Date, days: number): Standing {
  const msLeft = msUntilExpiry(record, now);
  const status = currentStatus(record, now, msLeft);
  if (status === "valid" || status === "unverified") return msLeft < days * DAY_MS ? "expiring" : status;
  return status;
}

/** Standings that mean git gets no working token from this record. */
export function isBroken(standing: Standing): boolean {
  return standing === "expired" || standing === "revoked" || standing === "rejected";
}

import type { SecretStore } from "../../storage/secret-store.js";
import { result, type CheckResult } from "./check.js";

/** Can the secret store be reached and used now? */
export async function checkStore(store: SecretStore): Promise<CheckResult> {
  const title = "secret store";
  if (!store.health)
    return result("store", title, "ok", `The ${store.kind} store is configured (no further check for it).`);
  let health;
  try {
    health = await store.health();
  } catch (error) {
    return result("store", title, "fail", `Checking the ${store.kind} store failed: ${(error as Error).message}`, {
      fix: "Run 'ghpat doctor' again; if it persists, report it with GHPAT_DEBUG=1.",
    });
  }
  if (health.state === "ok") return result("store", title, "ok", health.detail);
  return result("store", title, "fail", health.detail, { fix: health.hint ?? null, data: { state: health.state } });
}

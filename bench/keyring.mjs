// The benches' keyring: the tests' private bus and gnome-keyring-daemon
// (test/helpers/private-keyring.mjs). Nothing of the user's keychain is touched.
export { haveKeyringTools, startKeyring } from "../test/helpers/private-keyring.mjs";
import { spawnSync } from "node:child_process";

/** Stores a secret the way keytar does (its schema attribute included), so ghpat reads it back. */
export function storeSecret(env, service, account, secret) {
  return spawnSync(
    "secret-tool",
    [
      "store",
      `--label=${account}`,
      "xdg:schema",
      "org.freedesktop.Secret.Generic",
      "service",
      service,
      "account",
      account,
    ],
    { env, input: secret, encoding: "utf8", timeout: 5000 },
  );
}

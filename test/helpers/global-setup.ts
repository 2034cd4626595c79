import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureFreshBuild } from "./fresh-build.js";
import { haveKeyringTools, startKeyring, type Keyring } from "./keyring.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The private keyring's environment, or null when gnome-keyring is not installed. */
    keyringEnv: Record<string, string> | null;
  }
}

let keyring: Keyring | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  ensureFreshBuild(resolve(import.meta.dirname, "../.."));
  if (!haveKeyringTools()) {
    const message =
      "gnome-keyring-daemon, dbus-daemon or secret-tool is not installed: the keychain tests are SKIPPED. Install gnome-keyring, dbus and libsecret-tools (scripts/setup.sh) to run them.";
    if (process.env.CI) throw new Error(`${message} With CI set this is a failure.`);
    process.stderr.write(`\n!!! ${message}\n\n`);
    project.provide("keyringEnv", null);
    return () => undefined;
  }
  keyring = await startKeyring();
  project.provide("keyringEnv", keyring.env);
  return () => keyring?.stop();
}

/**
 * Opens a link in the user's browser: `$BROWSER` when it is set (a
 * colon-separated list of commands, tried in turn; `%s` in one stands for
 * the link, else the link is its last argument; no shell is involved), else
 * the platform's opener through the `open` package (`open` on macOS,
 * `xdg-open` on Linux, `start` on Windows). Nothing ghpat keeps secret is
 * in the link or in the opener's environment (childEnvironment).
 */
import { spawn } from "node:child_process";
import { childEnvironment, type Env } from "../config.js";

/** How long a `$BROWSER` command has to start before the next one is tried. */
const START_TIMEOUT_MS = 5_000;

function words(command: string): string[] {
  return command
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
}

/** Starts one `$BROWSER` command without waiting for the browser to close; rejects when it cannot be started. */
function startCommand(command: string, url: string, env: Env): Promise<void> {
  const [program, ...rest] = words(command);
  if (program === undefined) return Promise.reject(new Error("an empty command"));
  const args = rest.some((word) => word.includes("%s"))
    ? rest.map((word) => word.replaceAll("%s", url))
    : [...rest, url];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: childEnvironment(env),
      stdio: "ignore",
      detached: true,
      windowsHide: true,
    });
    const timer = setTimeout(() => reject(new Error(`'${program}' did not start`)), START_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("spawn", () => {
      clearTimeout(timer);
      child.unref();
      resolve();
    });
  });
}

/** Opens `url`; rejects with what went wrong when no browser could be started. */
export async function openInBrowser(url: string, env: Env): Promise<void> {
  const browser = env.BROWSER;
  if (browser !== undefined && browser.trim() !== "") {
    let failure: unknown = new Error("no command in $BROWSER");
    for (const command of browser.split(":").filter((c) => c.trim() !== "")) {
      try {
        await startCommand(command, url, env);
        return;
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
  const { default: open } = await import("open");
  // `open` starts its opener with process.env: for that moment it is the environment without ghpat's secrets.
  const saved = process.env;
  process.env = childEnvironment(env);
  try {
    await open(url);
  } finally {
    process.env = saved;
  }
}

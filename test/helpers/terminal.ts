import { spawn } from "node:child_process";
import { BIN, type Sandbox } from "./sandbox.js";

export interface TerminalResult {
  code: number | null;
  /** Everything the command wrote to the terminal (stdout and stderr together). */
  output: string;
}

export interface Answer {
  /** When the output so far matches this... */
  when: RegExp;
  /** ...type this (a prompt submits on "\r"). */
  send: string;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the built CLI on a real pseudo-terminal (util-linux `script`), so
 * stdin and stderr are TTYs, and types each answer once its prompt has
 * appeared. For tests of what ghpat does when it could prompt, or when it
 * prints to a terminal `columns` wide.
 */
export function runOnTerminal(
  sb: Sandbox,
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    answers?: Answer[];
    typed?: string;
    timeoutMs?: number;
    columns?: number;
  } = {},
): Promise<TerminalResult> {
  const env = Object.fromEntries(
    Object.entries({ ...sb.env, SHELL: "/bin/sh", TERM: "dumb", ...options.env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  // `stty cols N` sizes the terminal as a window that wide would (script's own is 0 by 0 without one).
  const sized = options.columns === undefined ? "" : `stty cols ${options.columns} rows 50 && exec `;
  const command = sized + [process.execPath, BIN, ...args].map(shellQuote).join(" ");
  const pending = [...(options.answers ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env,
      cwd: sb.dir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    // Typed ahead: the terminal keeps it until the command reads (a "\x04" at a line's start is end of input).
    if (options.typed !== undefined) child.stdin.write(options.typed);
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const next = pending[0];
      if (next && next.when.test(output)) {
        pending.shift();
        child.stdin.write(next.send);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `${args.join(" ")} on a terminal did not finish within ${options.timeoutMs ?? 20_000} ms; output so far:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}

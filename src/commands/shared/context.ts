import type { Env } from "../../config.js";
import { createOutput, type Output } from "../../ui/output.js";
import { readAll } from "../../ui/stdin.js";

/** What a command may touch besides its options; tests can give their own. */
export interface Context {
  env: Env;
  out: Output;
  readStdin(): Promise<Buffer>;
  now(): Date;
}

export function defaultContext(): Context {
  return {
    env: process.env,
    out: createOutput(),
    readStdin: () => readAll(),
    now: () => new Date(),
  };
}

let applied = false;

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it at
 * once with its baseline compiler and then again, optimised, on a background
 * thread, and Node waits for that background work before it exits: 0.2 to
 * 0.5 s after a command's last output, longer than the whole request to
 * github.com. The baseline code parses a few kilobytes of headers just as
 * well, so the optimising pass is switched off for the process. Call it
 * before the first connection (the module compiles then); only for the CLI,
 * as a library must not change V8's flags under its user's own WebAssembly.
 */
export function quickExitAfterHttp(): void {
  if (applied) return;
  applied = true;
  process.getBuiltinModule("node:v8").setFlagsFromString("--liftoff-only");
}

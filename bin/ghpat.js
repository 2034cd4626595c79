#!/usr/bin/env node
"use strict";
// The commands that run most often each have one CommonJS file of their own
// in dist/fast/: git's credential requests (every fetch), completion (every
// Tab), list (scripts) and --version. Such a file answers, or returns false
// for anything unusual (help, a mistake), which the full program then handles.
// The program (dist/cli/) is CommonJS too, so Node's ES module loader never starts.
const FAST = new Map([
  ["git-credential", "git-credential"],
  ["__complete", "complete"],
  ["list", "list"],
  ["ls", "list"],
  ["--version", "version"],
  ["-V", "version"],
]);
const argv = process.argv.slice(2);
const fast = FAST.get(argv[0]);
if (!(fast && require(`../dist/fast/${fast}.cjs`).run(argv))) require("../dist/cli/main.cjs").main(argv);

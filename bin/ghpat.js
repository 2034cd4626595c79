#!/usr/bin/env node
"use strict";
// git's credential requests, shell completion and --version run from one
// CommonJS file without starting Node's ES module loader; the rest of the
// program is the ES module bundle. The first word picks the candidates, so
// other commands never load the fast path; runFastPath has the exact rules.
const argv = process.argv.slice(2);
const fast = ["git-credential", "__complete", "--version", "-V"].includes(argv[0]);
if (!(fast && require("../dist/fast-path.cjs").runFastPath(argv))) import("../dist/main.js");

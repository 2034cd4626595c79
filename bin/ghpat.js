#!/usr/bin/env node
"use strict";
// git's credential requests, shell completion and --version run from one
// CommonJS file without starting Node's ES module loader; the rest of the
// program is the ES module bundle.
if (!require("../dist/fast-path.cjs").runFastPath(process.argv.slice(2))) import("../dist/main.js");

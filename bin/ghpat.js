#!/usr/bin/env node
"use strict";
// The commands that run most often (those the registry marks hot: git's
// credential requests on every fetch, completion on every Tab, list) each
// have one CommonJS file of their own in dist/fast/, named by the dispatch
// table the build generates. Such a file answers, or returns false for
// anything unusual (help, a mistake), which the full program then handles.
// The program (dist/cli/) is CommonJS too, so Node's ES module loader never starts.
const argv = process.argv.slice(2);
const { version, hot } = require("../dist/fast/dispatch.cjs");
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) require("node:fs").writeSync(1, `${version}\n`);
else if (!(hot.has(argv[0]) && require(`../dist/fast/${hot.get(argv[0])}.cjs`).run(argv)))
  require("../dist/cli/main.cjs").main(argv);

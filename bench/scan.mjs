// ghpat scan against its floors, grep (a ~120 MB generated tree) and
// `git log -p --all | grep -E` (a generated repository of 10,000 commits):
// scanning is I/O-bound and grep is what no scanner can beat by much.
// Targets: within 2× each floor (3× is the acceptance limit). The tree and
// the repository are generated once, deterministically, and kept in
// ~/.cache/ghpat-bench (GHPAT_BENCH_CACHE; delete it to make them again).
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { measure, report } from "./harness.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin", "ghpat.js");
const node = process.execPath;
// Outside this repository: inside its work tree, scan would go by git's list, which ignores node_modules.
const cache = process.env.GHPAT_BENCH_CACHE || join(homedir(), ".cache", "ghpat-bench");
const PATTERN = "(ghp|gho|ghu|ghr|ghs)_[A-Za-z0-9_]{36,}|github_pat_[A-Za-z0-9_]{82}";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A small deterministic generator (mulberry32): the same tree on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function token(next) {
  const body = Array.from({ length: 30 }, () => BASE62[Math.floor(next() * 62)]).join("");
  let value = crc32(Buffer.from(body)) >>> 0;
  let sum = "";
  while (value > 0) {
    sum = BASE62[value % 62] + sum;
    value = Math.floor(value / 62);
  }
  return `ghp_${body}${sum.padStart(6, "0")}`;
}

const WORDS = [
  "const",
  "light",
  "night",
  "github.com",
  "high",
  "return",
  "function",
  "value",
  "the",
  "token",
  "config",
  "thought",
  "import",
  "export",
  "string",
  "number",
  "=",
  "{",
  "}",
  "(",
  ")",
  ";",
];

/** About `bytes` of code-like text for the commits. */
function text(next, bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const words = Array.from({ length: 4 + Math.floor(next() * 10) }, () => WORDS[Math.floor(next() * WORDS.length)]);
    const line = `${"  ".repeat(Math.floor(next() * 4))}${words.join(" ")}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

/**
 * ~120 MB in 3,000 files of 40 KB under 60 directories, 30 of them holding a
 * token: slices of real code (TypeScript's compiler, from node_modules, the
 * version package-lock.json pins), where "gh" is as frequent as code has it.
 */
function makeTree(dir) {
  const next = random(42);
  const block = readFileSync(join(root, "node_modules", "typescript", "lib", "typescript.js"), "latin1");
  const temp = `${dir}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  for (let i = 0; i < 3000; i++) {
    const sub = join(temp, `dir${i % 60}`);
    if (i < 60) mkdirSync(sub, { recursive: true });
    const start = Math.floor(next() * (block.length - 41_000));
    let body = block.slice(start, start + 40_000);
    if (i % 100 === 0) body += `const secret = "${token(next)}";\n`;
    writeFileSync(join(sub, `file${i}.js`), body, "latin1");
  }
  renameSync(temp, dir);
}

/** 10,000 commits through git fast-import, each adding lines to one of 200 files; 20 of them add a token. */
function makeRepo(dir) {
  const next = random(7);
  const temp = `${dir}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const init = spawnSync("git", ["init", "-q", "-b", "main", temp]);
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`);
  const chunks = [];
  const files = Array.from({ length: 200 }, () => "");
  for (let i = 0; i < 10_000; i++) {
    const f = Math.floor(next() * files.length);
    files[f] += text(next, 300);
    if (i % 500 === 0) files[f] += `token = ${token(next)}\n`;
    const content = Buffer.from(files[f]);
    const message = `commit ${i}\n`;
    chunks.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}`,
    );
    chunks.push(`M 100644 inline src/file${f}.js\ndata ${content.length}\n`);
    chunks.push(content);
    chunks.push("\n");
  }
  const stream = Buffer.concat(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));
  const imported = spawnSync("git", ["fast-import", "--quiet"], { cwd: temp, input: stream, maxBuffer: 1 << 30 });
  if (imported.status !== 0) throw new Error(`git fast-import failed: ${imported.stderr}`);
  renameSync(temp, dir);
}

/** A run that must find tokens: ghpat exits 1 when it does, grep 0. */
function expecting(code, command) {
  return { command: "sh", args: ["-c", `${command} >/dev/null 2>&1; test $? -eq ${code}`] };
}

function q(word) {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function benchScan({ rounds = 5 } = {}) {
  console.log("\nscan: ghpat scan against grep on a generated tree and history (set-up cached)");
  mkdirSync(cache, { recursive: true });
  const tree = join(cache, "scan-tree-v2");
  const repo = join(cache, "scan-repo-v1");
  if (!existsSync(tree)) makeTree(tree);
  if (!existsSync(repo)) makeRepo(repo);
  const env = { PATH: process.env.PATH, HOME: cache, GHPAT_CONFIG_DIR: join(cache, "config") };
  const ghpat = `${q(node)} ${q(bin)}`;
  const medians = measure(
    [
      { name: "floor: grep -rE (120 MB tree)", ...expecting(0, `grep -rE ${q(PATTERN)} ${q(tree)}`), env },
      { name: "ghpat scan (120 MB tree)", ...expecting(1, `${ghpat} scan ${q(tree)}`), env },
    ],
    { rounds, warmup: 1 },
  );
  report("scan: a 120 MB tree of 3,000 files (median)", medians, "floor: grep -rE (120 MB tree)", {
    "ghpat scan (120 MB tree)": 2,
  });
  const history = measure(
    [
      {
        name: "floor: git log -p --all | grep -E",
        ...expecting(0, `cd ${q(repo)} && git log -p --all | grep -E ${q(PATTERN)}`),
        env,
      },
      {
        name: "ghpat scan --history (10,000 commits)",
        ...expecting(1, `cd ${q(repo)} && ${ghpat} scan --history`),
        env,
      },
    ],
    { rounds, warmup: 1 },
  );
  report("scan --history: 10,000 commits (median)", history, "floor: git log -p --all | grep -E", {
    "ghpat scan --history (10,000 commits)": 2,
  });
}

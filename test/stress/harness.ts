/**
 * Running stress operations, killing them, and checking what they left:
 * the index parses, every token known to be stored is retrievable, nothing
 * else appeared, and doctor reports exactly the disagreements a kill left
 * and repairs them without losing a secret.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { expect } from "vitest";
import { keychainAccount, type TokenRecord } from "../../src/core/record.js";
import { fingerprint } from "../../src/core/token-format.js";
import { parseIndex } from "../../src/storage/index-reader.js";
import { keychainContents } from "../helpers/keyring.js";
import { BIN, type RunResult, type Sandbox } from "../helpers/sandbox.js";
import { keyringEnv } from "../helpers/suite.js";
import {
  OPERATIONS,
  LATER_OPERATIONS,
  type Invocation,
  type Operation,
  type OrphansData,
  type World,
} from "./operations.js";

export interface TimedResult extends RunResult {
  ms: number;
  pid: number;
}

/**
 * The operations whose command this build has: `ghpat <command> --help`
 * succeeds without falling back to the top-level help (which is what
 * commander shows for an unknown command). The others are named so that the
 * gap shows in the test's log.
 */
export function availableOperations(): { operations: Operation[]; missing: string[] } {
  const all = [...OPERATIONS, ...LATER_OPERATIONS];
  const present = new Map<string, boolean>();
  for (const command of new Set(all.map((op) => op.command))) {
    const help = spawnSync(process.execPath, [BIN, command, "--help"], { encoding: "utf8", timeout: 10_000 });
    present.set(command, help.status === 0 && !help.stdout.includes("Usage: ghpat [options] [command]"));
  }
  return {
    operations: all.filter((op) => present.get(op.command)),
    missing: [...present].filter(([, ok]) => !ok).map(([command]) => command),
  };
}

/** Runs one invocation of the built CLI; with `killAfterMs`, SIGKILLs it then if it is still running. */
export function runInvocation(sb: Sandbox, invocation: Invocation, killAfterMs: number | null): Promise<TimedResult> {
  for (const arg of invocation.args)
    for (const secret of sb.canaries) expect(arg.includes(secret), "a secret in argv").toBe(false);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, ...invocation.args], {
      env: sb.env,
      cwd: sb.dir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => stdout.push(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    const killer = killAfterMs === null ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`ghpat ${invocation.args.join(" ")} did not finish within 60 s`));
    }, 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      clearTimeout(deadline);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        ms: performance.now() - start,
        pid: child.pid ?? 0,
      });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(invocation.input ?? "");
  });
}

/** Runs a completed (never killed) invocation and applies it to the model. */
export async function runToCompletion(world: World, invocation: Invocation): Promise<TimedResult> {
  const result = await runInvocation(world.sb, invocation, null);
  world.sb.assertNoLeak(result, { stdout: !invocation.secretOnStdout });
  expect(invocation.exitCodes, `ghpat ${invocation.args.join(" ")} exited ${result.code}:\n${result.stderr}`).toContain(
    result.code,
  );
  invocation.completed(result);
  return result;
}

export interface Snapshot {
  records: Map<string, TokenRecord>;
  /** account → secret */
  secrets: Map<string, string>;
}

/** What is on disk and in the keychain now. The index must parse, whatever was killed when. */
export async function snapshot(sb: Sandbox): Promise<Snapshot> {
  const text = sb.readIndexText();
  const index = text === null ? { tokens: [] } : await parseIndex(text, sb.indexPath());
  return {
    records: new Map(index.tokens.map((r) => [r.name, r])),
    secrets: await keychainContents({ env: keyringEnv ?? {} }, sb.service),
  };
}

/** The world's known tokens are all there; its undecided names hold one of their candidates; nothing else of its host exists. */
export function expectConsistentWithModel(world: World, snap: Snapshot): void {
  const { model, host } = world;
  for (const [name, token] of model.stored) {
    const record = snap.records.get(name);
    expect(record, `record of '${name}'`).toBeDefined();
    expect(record?.host).toBe(host);
    expect(record?.fingerprint, `fingerprint of '${name}'`).toBe(fingerprint(token));
    expect(snap.secrets.get(`${host}/${name}`) === token, `secret of '${name}' is retrievable`).toBe(true);
  }
  for (const [name, candidates] of model.uncertain) {
    const record = snap.records.get(name);
    if (record)
      expect([...candidates].filter((c) => c !== null).map((c) => fingerprint(c))).toContain(record.fingerprint);
    const secret = snap.secrets.get(`${host}/${name}`);
    if (secret !== undefined) expect(candidates.has(secret), `secret of '${name}' is one it was given`).toBe(true);
  }
  const known = (name: string) => model.stored.has(name) || model.uncertain.has(name);
  for (const record of snap.records.values())
    if (record.host === host) expect(known(record.name), `unexpected record '${record.name}'`).toBe(true);
  for (const account of snap.secrets.keys())
    if (account.startsWith(`${host}/`))
      expect(known(account.slice(host.length + 1)), `unexpected secret ${account}`).toBe(true);
  if (model.defaultName !== undefined) {
    const defaults = [...snap.records.values()].filter((r) => r.host === host && r.default).map((r) => r.name);
    expect(defaults, `default of ${host}`).toEqual(model.defaultName === null ? [] : [model.defaultName]);
  }
}

/**
 * After a kill, a name whose record and secret agree (or which has neither)
 * is decided: it goes back into play. Only a disagreement waits for doctor.
 */
export function settleWhereConsistent(world: World, snap: Snapshot): void {
  const { model, host } = world;
  for (const name of [...model.uncertain.keys()]) {
    const record = snap.records.get(name);
    const secret = snap.secrets.get(`${host}/${name}`);
    if (!record && secret === undefined) model.uncertain.delete(name);
    else if (record && secret !== undefined && record.fingerprint === fingerprint(secret)) {
      model.uncertain.delete(name);
      model.stored.set(name, secret);
    }
  }
  if (model.uncertain.size === 0 && model.defaultName === undefined) {
    model.defaultName = [...snap.records.values()].find((r) => r.host === host && r.default)?.name ?? null;
  }
}

export interface Disagreements {
  recordsWithoutSecret: string[];
  secretsWithoutRecord: string[];
  fingerprintMismatch: string[];
  /** Old slots of a killed rename, announced by the renamed record and holding its token (a warning, not a failure). */
  renameLeftovers: string[];
}

/** Computed independently of ghpat: what doctor must report. */
export function disagreements(snap: Snapshot): Disagreements {
  const records = [...snap.records.values()];
  const accounts = new Set(records.map(keychainAccount));
  const unrecorded = [...snap.secrets.keys()].filter((a) => !accounts.has(a));
  const announced = (account: string) =>
    records.some(
      (r) =>
        r.renamedFrom !== undefined &&
        keychainAccount({ host: r.host, name: r.renamedFrom }) === account &&
        fingerprint(snap.secrets.get(account) as string) === r.fingerprint,
    );
  return {
    recordsWithoutSecret: records
      .filter((r) => !snap.secrets.has(keychainAccount(r)))
      .map((r) => r.name)
      .sort(),
    secretsWithoutRecord: unrecorded.filter((a) => !announced(a)).sort(),
    fingerprintMismatch: records
      .filter(
        (r) =>
          snap.secrets.has(keychainAccount(r)) &&
          fingerprint(snap.secrets.get(keychainAccount(r)) as string) !== r.fingerprint,
      )
      .map((r) => r.name)
      .sort(),
    renameLeftovers: unrecorded.filter(announced).sort(),
  };
}

/** Whether doctor passes: a rename's leftover is only a warning. */
function isEmpty(d: Disagreements): boolean {
  return d.recordsWithoutSecret.length + d.secretsWithoutRecord.length + d.fingerprintMismatch.length === 0;
}

async function doctor(
  sb: Sandbox,
  args: string[],
): Promise<{ code: number | null; checks: Map<string, { status: string; data?: OrphansData; repaired: string[] }> }> {
  const result = await runInvocation(
    sb,
    { args: ["doctor", "--json", ...args], exitCodes: [0, 1], completed: () => undefined, killed: () => undefined },
    null,
  );
  sb.assertNoLeak(result);
  const report = JSON.parse(result.stdout) as {
    checks: Array<{ id: string; status: string; data?: OrphansData; repaired: string[] }>;
  };
  return { code: result.code, checks: new Map(report.checks.map((c) => [c.id, c])) };
}

export interface CheckpointStats {
  found: Disagreements;
}

/**
 * doctor must report exactly the disagreements present; doctor --fix must
 * leave none, keep every secret, and give each secret without a record an
 * `unverified` one. The worlds' undecided names are then settled from what
 * is stored, and every known token is fetched with `ghpat token`.
 */
export async function checkpoint(sb: Sandbox, worlds: World[]): Promise<CheckpointStats> {
  const before = await snapshot(sb);
  const expected = disagreements(before);
  const report = await doctor(sb, []);
  const orphans = report.checks.get("orphans");
  expect(report.code).toBe(isEmpty(expected) ? 0 : 1);
  expect({
    recordsWithoutSecret: (orphans?.data?.recordsWithoutSecret ?? []).map((r) => r.name).sort(),
    secretsWithoutRecord: [...(orphans?.data?.secretsWithoutRecord ?? [])].sort(),
    // A kill between a replacement's two writes leaves the successor the record announced: told apart from a foreign token, but the same disagreement.
    fingerprintMismatch: [...(orphans?.data?.fingerprintMismatch ?? []), ...(orphans?.data?.interruptedRotations ?? [])]
      .map((r) => r.name)
      .sort(),
    renameLeftovers: (orphans?.data?.renameLeftovers ?? []).map((x) => x.account).sort(),
  }).toEqual(expected);
  // Secrets in a shared slot are never adopted; a kill only ever leaves ones the records announced.
  expect(orphans?.data?.fingerprintMismatch ?? []).toEqual([]);

  // --yes: several kills of remove may each leave a record whose secret is gone, and dropping more than one takes it.
  const fixed = await doctor(sb, ["--fix", "--yes"]);
  expect(fixed.code).toBe(0);
  const after = await snapshot(sb);
  expect(disagreements(after)).toEqual({
    recordsWithoutSecret: [],
    secretsWithoutRecord: [],
    fingerprintMismatch: [],
    renameLeftovers: [],
  });
  // No secret was lost: each is still there, unchanged (a rename's leftover, emptied, is still under the record's new name).
  for (const [account, secret] of before.secrets) {
    if (expected.renameLeftovers.includes(account)) expect([...after.secrets.values()], account).toContain(secret);
    else expect(after.secrets.get(account), account).toBe(secret);
  }
  for (const account of expected.secretsWithoutRecord) {
    const record = after.records.get(account.slice(account.indexOf("/") + 1));
    expect(record).toMatchObject({
      status: "unverified",
      fingerprint: fingerprint(before.secrets.get(account) as string),
    });
  }
  for (const name of expected.fingerprintMismatch) expect(after.records.get(name)?.status).toBe("unverified");
  // Nothing a killed process left remains: no lock, no temporary file (of the index or of the scan key).
  expect(
    readdirSync(sb.configDir).filter((f) => !["tokens.json", "tokens.json.validated", "scan.key"].includes(f)),
  ).toEqual([]);
  expect((await doctor(sb, [])).code).toBe(0);

  for (const world of worlds) {
    for (const name of world.model.uncertain.keys()) {
      const record = after.records.get(name);
      if (record) world.model.stored.set(name, after.secrets.get(keychainAccount(record)) as string);
    }
    world.model.uncertain.clear();
    world.model.defaultName = [...after.records.values()].find((r) => r.host === world.host && r.default)?.name ?? null;
    expectConsistentWithModel(world, after);
    for (const [name, token] of world.model.stored) {
      const printed = await runInvocation(
        sb,
        {
          args: ["token", name],
          secretOnStdout: true,
          exitCodes: [0],
          completed: () => undefined,
          killed: () => undefined,
        },
        null,
      );
      expect(printed.stdout, `ghpat token ${name} (exit ${printed.code}): ${printed.stderr}`).toBe(`${token}\n`);
    }
  }
  return { found: expected };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

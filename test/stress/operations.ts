/**
 * The operations the crash and concurrency stress tests run, as a table.
 *
 * Each entry says how to invoke one ghpat command against the current
 * model of what is stored, what the model becomes when the run completes,
 * and what becomes uncertain when it is SIGKILLed part-way. The harnesses
 * (crash.test.ts, concurrency.test.ts) pick entries by weight; an entry
 * whose command this build does not have is left out and named in the
 * test's log, so that commands from other work plug in by adding a row.
 * Rows for commands still to come are at the bottom (LATER_OPERATIONS):
 * they join the runs by themselves once `ghpat <command> --help` works;
 * check them against the command's real flags and exit codes then.
 */
import { expect } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import type { FakeGitHub } from "../helpers/fake-github.js";
import type { RunResult, Sandbox } from "../helpers/sandbox.js";

/** What one worker or lane believes is stored. Only its own names and host are in it. */
export class Model {
  /** Names whose token is known: the last completed write. */
  readonly stored = new Map<string, string>();
  /** Names a killed run left undecided: the tokens each may hold, null for "gone". */
  readonly uncertain = new Map<string, Set<string | null>>();
  /** The host's default, when known (null: none); undefined once a kill made it unknowable. */
  defaultName: string | null | undefined = null;

  /** Names an operation may act on now: known ones only. */
  names(): string[] {
    return [...this.stored.keys()];
  }

  /** Vault.add, with or without --force: a host without a default takes the token stored as its default. */
  added(name: string, token: string): void {
    this.stored.set(name, token);
    if (this.defaultName === null) this.defaultName = name;
  }

  /** Vault.remove: when the default goes and exactly one token is left, that one becomes the default. */
  removed(name: string): void {
    this.stored.delete(name);
    if (this.defaultName === name) {
      const left = [...this.stored.keys()];
      this.defaultName = left.length === 1 ? (left[0] ?? null) : null;
    }
  }

  /** Vault.rename: the token and the default flag go to the new name. */
  renamed(name: string, next: string): void {
    const token = this.stored.get(name);
    if (token === undefined) return;
    this.stored.delete(name);
    this.stored.set(next, token);
    if (this.defaultName === name) this.defaultName = next;
  }

  /** A kill leaves `name` holding any of `candidates`; it is left alone until a checkpoint settles it. */
  unsettle(name: string, candidates: Array<string | null>): void {
    this.stored.delete(name);
    this.uncertain.set(name, new Set(candidates));
    this.defaultName = undefined;
  }
}

/** The `data` of doctor's orphans check. */
export interface OrphansData {
  recordsWithoutSecret: Array<{ name: string; host: string; fingerprint: string }>;
  secretsWithoutRecord: string[];
  fingerprintMismatch: Array<{ name: string; recorded: string; stored: string }>;
  /** Slots holding the successor an add --force or rotate announced and was killed before recording. */
  interruptedRotations?: Array<{ name: string; recorded: string; stored: string }>;
  /** Old slots a renamed record announces (renamedFrom) that still hold its token: a rename killed before emptying them. */
  renameLeftovers?: Array<{ name: string; account: string }>;
  unknownAccounts: string[];
  unreadable: string[];
}

export interface World {
  sb: Sandbox;
  api: FakeGitHub;
  model: Model;
  /** The host this world's tokens live on, so that worlds sharing a config directory do not share defaults. */
  host: string;
  /** Adds stop applying at this many names, so that the index and the checks stay small. */
  maxTokens: number;
  random(): number;
  newName(): string;
  /** A fresh canary token, registered with the sandbox; `login` also registers it with the fake API. */
  newToken(login?: string): string;
}

export interface Invocation {
  args: string[];
  input?: string;
  /** `token` and `git-credential get` may print a secret on stdout. */
  secretOnStdout?: boolean;
  /** Exit codes a completed run may have. */
  exitCodes: number[];
  /** Checks the output and updates the model after a run that completed. */
  completed(result: RunResult): void;
  /** Updates the model after a run was SIGKILLed at an unknown point. */
  killed(): void;
}

export interface Operation {
  name: string;
  /** The ghpat command it needs (`ghpat help` must list it). */
  command: string;
  weight: number;
  /** The invocation to run now, or null when it does not apply (e.g. remove with nothing stored). */
  plan(world: World): Invocation | null;
}

function pick<T>(world: World, items: readonly T[]): T | undefined {
  return items[Math.floor(world.random() * items.length)];
}

function hostArgs(world: World): string[] {
  return world.host === "github.com" ? [] : ["--host", world.host];
}

const addNew = (verify: boolean): Operation => ({
  name: verify ? "add (verified)" : "add --no-verify",
  command: "add",
  weight: verify ? 2 : 4,
  plan(world) {
    if (world.model.stored.size + world.model.uncertain.size >= world.maxTokens) return null;
    const name = world.newName();
    const token = world.newToken(verify ? `login-${name}` : undefined);
    return {
      args: ["add", name, "--stdin", ...(verify ? [] : ["--no-verify"]), ...hostArgs(world)],
      input: token,
      exitCodes: [0],
      completed: () => world.model.added(name, token),
      killed: () => world.model.unsettle(name, [token, null]),
    };
  },
});

export const OPERATIONS: Operation[] = [
  addNew(false),
  addNew(true),
  {
    name: "add --force (replace)",
    command: "add",
    weight: 3,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const old = world.model.stored.get(name) as string;
      const token = world.newToken();
      return {
        args: ["add", name, "--stdin", "--no-verify", "--force", ...hostArgs(world)],
        input: token,
        exitCodes: [0],
        completed: () => world.model.added(name, token),
        killed: () => world.model.unsettle(name, [old, token]),
      };
    },
  },
  {
    name: "remove",
    command: "remove",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const old = world.model.stored.get(name) as string;
      return {
        args: ["remove", name, "--yes"],
        exitCodes: [0],
        completed: () => world.model.removed(name),
        killed: () => world.model.unsettle(name, [old, null]),
      };
    },
  },
  {
    name: "default",
    command: "default",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      return {
        args: ["default", name],
        exitCodes: [0],
        completed: () => {
          if (world.model.defaultName !== undefined) world.model.defaultName = name;
        },
        killed: () => {
          world.model.defaultName = undefined;
        },
      };
    },
  },
  {
    name: "token",
    command: "token",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const token = world.model.stored.get(name);
      return {
        args: ["token", name],
        secretOnStdout: true,
        exitCodes: [0],
        completed: (result) => expect(result.stdout).toBe(`${token}\n`),
        killed: () => undefined,
      };
    },
  },
  {
    name: "list --json",
    command: "list",
    weight: 1,
    plan(world) {
      return {
        args: ["list", "--json", "--host", world.host],
        exitCodes: [0],
        completed: (result) => {
          const records = JSON.parse(result.stdout) as Array<{ name: string; fingerprint: string }>;
          const listed = new Map(records.map((r) => [r.name, r.fingerprint]));
          // Read-your-writes: every completed write of this world shows, nothing else of its own does.
          for (const [name, token] of world.model.stored)
            expect(listed.get(name), name).toBe(`ghp_…${token.slice(-4)}`);
          for (const name of listed.keys())
            expect(world.model.stored.has(name) || world.model.uncertain.has(name), name).toBe(true);
        },
        killed: () => undefined,
      };
    },
  },
  {
    name: "edit --name (rename)",
    command: "edit",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const token = world.model.stored.get(name) as string;
      const next = world.newName();
      return {
        args: ["edit", name, "--name", next],
        exitCodes: [0],
        completed: () => world.model.renamed(name, next),
        // Killed anywhere, each name holds the token or nothing; doctor knows the old slot by the record's renamedFrom.
        killed: () => {
          world.model.unsettle(name, [token, null]);
          world.model.unsettle(next, [token, null]);
        },
      };
    },
  },
  {
    name: "doctor --json",
    command: "doctor",
    weight: 1,
    plan(world) {
      return {
        args: ["doctor", "--json"],
        // Only a disagreement left by a kill makes the orphans check fail; the caller judges that.
        exitCodes: [0, 1],
        completed: (result) => {
          const report = JSON.parse(result.stdout) as {
            checks: Array<{ id: string; status: string; summary: string; data?: OrphansData }>;
          };
          for (const check of report.checks)
            if (["node", "store", "git", "api"].includes(check.id))
              expect(check.status, `${check.id}: ${check.summary}`).toBe("ok");
          // Kills (this world's or another's) may leave disagreements; none may concern a token this world knows is stored.
          const data = report.checks.find((c) => c.id === "orphans")?.data;
          const named = [
            ...(data?.recordsWithoutSecret ?? []).map((r) => r.name),
            ...(data?.fingerprintMismatch ?? []).map((r) => r.name),
            ...(data?.interruptedRotations ?? []).map((r) => r.name),
            ...(data?.secretsWithoutRecord ?? []).map((account) => account.slice(account.indexOf("/") + 1)),
          ];
          expect(named.filter((name) => world.model.stored.has(name))).toEqual([]);
        },
        killed: () => undefined,
      };
    },
  },
];

/**
 * Rows for commands other work adds (verify: issue 3; git-credential: issue
 * 4), written against docs/design.md. They join the runs once their command
 * exists. Their kills leave nothing uncertain about secrets: they only touch
 * records (status, lastVerifiedAt, lastUsedAt), which the checks leave to
 * the commands' own tests.
 */
export const LATER_OPERATIONS: Operation[] = [
  {
    name: "verify",
    command: "verify",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      return { args: ["verify", name], exitCodes: [0, 1], completed: () => undefined, killed: () => undefined };
    },
  },
  {
    name: "git-credential store",
    command: "git-credential",
    weight: 2,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const token = world.model.stored.get(name) as string;
      return {
        args: ["git-credential", "store"],
        input: `protocol=https\nhost=${world.host}\nusername=x-access-token\npassword=${token}\n\n`,
        exitCodes: [0],
        completed: () => undefined,
        killed: () => undefined,
      };
    },
  },
  {
    name: "git-credential erase",
    command: "git-credential",
    weight: 1,
    plan(world) {
      const name = pick(world, world.model.names());
      if (name === undefined) return null;
      const token = world.model.stored.get(name) as string;
      return {
        args: ["git-credential", "erase"],
        input: `protocol=https\nhost=${world.host}\nusername=x-access-token\npassword=${token}\n\n`,
        exitCodes: [0],
        // erase marks the record rejected and never deletes the secret (docs/design.md section 4).
        completed: () => undefined,
        killed: () => undefined,
      };
    },
  },
];

/** Picks an operation that applies now, by weight. */
export function planNext(
  world: World,
  operations: readonly Operation[],
): { operation: Operation; invocation: Invocation } {
  for (let attempt = 0; attempt < 100; attempt++) {
    const total = operations.reduce((sum, op) => sum + op.weight, 0);
    let roll = world.random() * total;
    const operation = operations.find((op) => (roll -= op.weight) < 0) ?? (operations[0] as Operation);
    const invocation = operation.plan(world);
    if (invocation) return { operation, invocation };
  }
  throw new Error("no operation applies");
}

/** A small seeded generator, so that a failing run can be replayed with GHPAT_STRESS_SEED. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeWorld(sb: Sandbox, api: FakeGitHub, host: string, prefix: string, random: () => number): World {
  let seq = 0;
  const model = new Model();
  return {
    sb,
    api,
    model,
    host,
    maxTokens: 6,
    random,
    newName: () => `${prefix}${++seq}`,
    newToken(login) {
      const token = sb.canary(canaryToken());
      if (login) api.addToken(token, { login, scopes: ["repo"] });
      return token;
    },
  };
}

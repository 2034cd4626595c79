import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { expect, it } from "vitest";
import { inspectLock } from "../../src/storage/lock.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";
import {
  availableOperations,
  checkpoint,
  expectConsistentWithModel,
  median,
  runInvocation,
  runToCompletion,
  snapshot,
} from "./harness.js";
import { makeWorld, planNext, seededRandom, type World } from "./operations.js";

/**
 * 4 processes × 50 mixed operations at once against one config directory
 * and one keychain, while a fifth lane SIGKILLs its own runs at random
 * moments (leaving stale locks and debris for the others to get past).
 * Each worker owns a host, so its final state is exactly determined by its
 * own completed operations: any lost update shows.
 */
const WORKERS = 4;
const OPERATIONS_PER_WORKER = 50;
/** Enough kills alongside to leave stale locks and debris in the others' way, few enough to keep the test short. */
const KILLER_KILLS = 15;
const SEED = Number(process.env.GHPAT_STRESS_SEED ?? Date.now() % 1_000_000);

describeKeychain("concurrency", () => {
  it(
    `${WORKERS} processes × ${OPERATIONS_PER_WORKER} operations at once lose no update, corrupt nothing and leave no lock (seed ${SEED})`,
    { timeout: 300_000 },
    async () => {
      const { operations } = availableOperations();
      const api = await new FakeGitHub().start();
      const sb = new Sandbox({ keyringEnv, apiUrl: api.url });
      try {
        // A lock left by a process that died before this test began: the first writer must get past it at once.
        const dead = Number(
          spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout,
        );
        mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
        writeFileSync(
          `${sb.indexPath()}.lock`,
          JSON.stringify({ pid: dead, host: hostname(), nonce: "dead", since: "2026-01-01T00:00:00Z" }),
        );

        const workers: World[] = Array.from({ length: WORKERS }, (_, n) =>
          makeWorld(sb, api, `w${n}.example.com`, `w${n}-`, seededRandom(SEED + n)),
        );
        let done = 0;

        async function work(world: World): Promise<void> {
          for (let i = 0; i < OPERATIONS_PER_WORKER; i++) {
            const { invocation } = planNext(world, operations);
            await runToCompletion(world, invocation);
          }
          done++;
        }

        const killerWorld = makeWorld(sb, api, "k.example.com", "k-", seededRandom(SEED + 99));
        // Its killed names stay undecided until the end, so it must always be able to add new ones.
        killerWorld.maxTokens = Number.POSITIVE_INFINITY;
        let kills = 0;
        async function killer(): Promise<void> {
          const writes = operations.filter((op) => ["add", "remove", "default"].includes(op.command));
          const lifetimes: number[] = [];
          while (done < WORKERS && kills < KILLER_KILLS) {
            const { invocation } = planNext(killerWorld, writes);
            const lifetime = median(lifetimes) ?? 600;
            const result = await runInvocation(sb, invocation, lifetime * (0.25 + 0.75 * killerWorld.random()));
            sb.assertNoLeak(result, { stdout: false });
            if (result.signal === "SIGKILL") {
              kills++;
              // Its undecided names are left for doctor to report at the end.
              invocation.killed();
            } else {
              expect(invocation.exitCodes, result.stderr).toContain(result.code);
              invocation.completed(result);
              lifetimes.push(result.ms);
            }
          }
        }

        await Promise.all([...workers.map(work), killer()]);

        // Every completed write of every worker is there, exactly, with its host's default right.
        const snap = await snapshot(sb);
        for (const world of workers) {
          expect(world.model.uncertain.size).toBe(0);
          expectConsistentWithModel(world, snap);
        }
        // A lock left now can only be the killer's, whose owner is dead; a completed run never leaves one.
        const lock = await inspectLock(`${sb.indexPath()}.lock`);
        if (lock) expect(lock.stale).toBe(true);

        // doctor reports what the killer left, repairs it, and afterwards nothing is left over: no lock, no temporary file.
        await checkpoint(sb, workers);
        expect(readdirSync(sb.configDir).sort()).toEqual(["scan.key", "tokens.json", "tokens.json.validated"]);
        expect(kills).toBeGreaterThan(0);
        console.log(
          `concurrency: ${WORKERS}×${OPERATIONS_PER_WORKER} operations with ${kills} kills alongside (seed ${SEED}); final index ${snap.records.size} records`,
        );
      } finally {
        sb.cleanup();
        await api.stop();
      }
    },
  );
});

import { inspectLock } from "../../src/storage/lock.js";
import { expect, it } from "vitest";
import { FakeGitHub } from "../helpers/fake-github.js";
import { Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";
import {
  availableOperations,
  checkpoint,
  expectConsistentWithModel,
  median,
  runInvocation,
  settleWhereConsistent,
  snapshot,
  type CheckpointStats,
} from "./harness.js";
import { makeWorld, planNext, seededRandom } from "./operations.js";

/**
 * SIGKILL at random moments. Two lanes, each its own config directory, run
 * operations from the table and kill each run after a delay drawn uniformly
 * from 25 %–100 % of that operation's median observed lifetime (the first
 * quarter is Node starting, where a kill proves little). After every kill
 * the index must parse and every token known to be stored must be there;
 * every few kills doctor must report exactly what the kills left, and
 * doctor --fix repair it without losing a secret.
 */
const KILLS = Number(process.env.GHPAT_STRESS_KILLS ?? 200);
const LANES = 2;
const CHECKPOINT_EVERY = 40;
const SEED = Number(process.env.GHPAT_STRESS_SEED ?? Date.now() % 1_000_000);

describeKeychain("crash safety under SIGKILL", () => {
  it(`loses nothing across ${KILLS} kills (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const { operations, missing } = availableOperations();
    const api = await new FakeGitHub().start();
    const killsByOperation = new Map<string, number>();
    let staleLocksFound = 0;
    const found = { recordsWithoutSecret: 0, secretsWithoutRecord: 0, fingerprintMismatch: 0, renameLeftovers: 0 };
    const tally = (stats: CheckpointStats) => {
      found.recordsWithoutSecret += stats.found.recordsWithoutSecret.length;
      found.secretsWithoutRecord += stats.found.secretsWithoutRecord.length;
      found.fingerprintMismatch += stats.found.fingerprintMismatch.length;
      found.renameLeftovers += stats.found.renameLeftovers.length;
    };
    const started = Date.now();

    async function lane(n: number): Promise<number> {
      const sb = new Sandbox({ keyringEnv, apiUrl: api.url });
      try {
        const random = seededRandom(SEED + n);
        const world = makeWorld(sb, api, "github.com", `l${n}-`, random);
        const lifetimes = new Map<string, number[]>();
        let kills = 0;
        for (let runs = 0; kills < KILLS / LANES; runs++) {
          expect(runs, "too few runs were killed: the kill delays miss the processes' lifetimes").toBeLessThan(
            KILLS * 4,
          );
          const { operation, invocation } = planNext(world, operations);
          const lifetime = median(lifetimes.get(operation.name) ?? []);
          const fraction = 0.25 + 0.75 * random();
          // An operation not yet seen to finish runs once unkilled, to time it: a fixed first guess below its
          // lifetime (a busy machine, another test file alongside) would kill it every time and never learn.
          const result = await runInvocation(sb, invocation, lifetime === undefined ? null : lifetime * fraction);
          sb.assertNoLeak(result, { stdout: !invocation.secretOnStdout });
          if (result.signal === "SIGKILL") {
            kills++;
            killsByOperation.set(operation.name, (killsByOperation.get(operation.name) ?? 0) + 1);
            invocation.killed();
            if ((await inspectLock(`${sb.indexPath()}.lock`))?.owner?.pid === result.pid) staleLocksFound++;
            const snap = await snapshot(sb);
            expectConsistentWithModel(world, snap);
            settleWhereConsistent(world, snap);
            if (kills % CHECKPOINT_EVERY === 0) tally(await checkpoint(sb, [world]));
          } else {
            expect(
              invocation.exitCodes,
              `ghpat ${invocation.args.join(" ")} exited ${result.code}:\n${result.stderr}`,
            ).toContain(result.code);
            invocation.completed(result);
            lifetimes.set(operation.name, [...(lifetimes.get(operation.name) ?? []).slice(-19), result.ms]);
          }
        }
        tally(await checkpoint(sb, [world]));
        return kills;
      } finally {
        sb.cleanup();
      }
    }

    try {
      const kills = (await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)))).reduce((a, b) => a + b, 0);
      const summary =
        `crash stress: ${kills} kills in ${Math.round((Date.now() - started) / 1000)} s (seed ${SEED}); by operation ${JSON.stringify(Object.fromEntries(killsByOperation))}; ` +
        `kills that left their lock behind (taken over by the next writer): ${staleLocksFound}; doctor found and repaired ${JSON.stringify(found)}` +
        (missing.length ? `; not in this build, so not exercised: ${missing.join(", ")}` : "");
      console.log(summary);
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      // Every write operation was killed often enough to matter.
      for (const op of ["add --no-verify", "add (verified)", "add --force (replace)", "remove", "default"])
        expect(killsByOperation.get(op) ?? 0, `${op}: ${summary}`).toBeGreaterThanOrEqual(Math.floor(KILLS / 100));
    } finally {
      await api.stop();
    }
  });
});

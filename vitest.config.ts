import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import StressFirstSequencer from "./test/helpers/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    // Days to expiry are local calendar days (src/core/days.ts): the tests pin the zone; test/unit/days.test.ts changes it itself.
    env: { TZ: "UTC" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // vitest's default is one worker fewer than the cores: a single worker on
    // two. The e2e files mostly wait on the processes they spawn, and one
    // worker kept two cores about half busy, so there is one per core.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: StressFirstSequencer },
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});

import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../src/core/concurrency.js";
import { createProgress } from "../../src/ui/progress.js";

describe("mapWithConcurrency", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const work = async (n: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      return n * 2;
    };
    const done = mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, work);
    // Release one waiting item at a time until all have run.
    for (let released = 0; released < 7; released++) {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      expect(running).toBeLessThanOrEqual(3);
      gates.shift()?.();
    }
    expect(await done).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(most).toBe(3);
  });

  it("stops starting new items after a failure and rethrows it", async () => {
    const started: number[] = [];
    await expect(
      mapWithConcurrency([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("store locked");
        return n;
      }),
    ).rejects.toThrow("store locked");
    expect(started).toEqual([1, 2]);
  });

  it("handles no items", async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
  });
});

describe("progress", () => {
  it("draws on a terminal and clears the line at the end", () => {
    const writes: string[] = [];
    const progress = createProgress({ isTTY: true, write: (s: string) => writes.push(s) }, "Verifying");
    progress.update(1, 2);
    progress.update(2, 2);
    progress.finish();
    expect(writes).toEqual(["\r\u001b[2KVerifying 1/2", "\r\u001b[2KVerifying 2/2", "\r\u001b[2K"]);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const writes: string[] = [];
    const progress = createProgress({ write: (s: string) => writes.push(s) }, "Verifying");
    progress.update(1, 1);
    progress.finish();
    expect(writes).toEqual([]);
  });
});

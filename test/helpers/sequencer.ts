import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The stress tests take the longest (about a minute each). Without vitest's
 * cache of past durations (a fresh CI machine) files run largest first, which
 * puts these short files last: one worker then runs a stress test alone
 * while the others sit idle. They go first here, in every run.
 */
export default class StressFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isStress = (file: TestSpecification) => /[\\/]test[\\/]stress[\\/]/.test(file.moduleId);
    return [...sorted.filter(isStress), ...sorted.filter((file) => !isStress(file))];
  }
}

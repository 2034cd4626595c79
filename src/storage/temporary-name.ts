import { randomBytes } from "node:crypto";

/**
 * The temporary name a file is written under before it is renamed into
 * place. It carries the writer's pid so that debris left by a killed
 * process can be recognised and swept (atomic-file.ts debrisOf).
 */
export function temporaryName(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
}

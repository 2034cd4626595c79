import { result, type CheckResult, type CheckStatus } from "./check.js";

const RANK: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** Collects a check's problems; the worst one sets the status, the summary and the fix line. */
export class Findings {
  private readonly problems: Array<{ status: CheckStatus; line: string; fix: string | null }> = [];
  readonly repaired: string[] = [];
  readonly notes: string[] = [];

  problem(status: Exclude<CheckStatus, "ok">, line: string, fix: string | null): void {
    this.problems.push({ status, line, fix });
  }

  note(line: string): void {
    this.notes.push(line);
  }

  get status(): CheckStatus {
    return this.problems.reduce<CheckStatus>((worst, p) => (RANK[p.status] > RANK[worst] ? p.status : worst), "ok");
  }

  toResult(id: string, title: string, okSummary: string, data?: unknown): CheckResult {
    const worst = [...this.problems].sort((a, b) => RANK[b.status] - RANK[a.status]);
    const first = worst[0];
    const details = [
      ...worst.slice(1).map((p) => `${p.status}: ${p.line}${p.fix ? ` (fix: ${p.fix})` : ""}`),
      ...this.notes,
    ];
    return result(id, title, this.status, first ? first.line : okSummary, {
      fix: first?.fix ?? null,
      details,
      repaired: this.repaired,
      ...(data !== undefined ? { data } : {}),
    });
  }
}

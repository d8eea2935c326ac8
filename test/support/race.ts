/**
 * The race kit: K concurrent attempts of one transition against the real server, released
 * together, and a check that exactly one of them won. Use it for every contested change
 * (resolve vs escalate, cancel vs scheduled send, agree vs reschedule, close vs vote, …): the
 * tests must pass on FerretDB (CI) and on MongoDB when MONGODB_URI points at one.
 *
 * @example
 * const results = await race(8, (i) => i % 2 ? resolve(ticket) : runClock(job));
 * expectOneWinner(results, (r) => r.status === "ok" || r === "escalated");
 */
import { expect } from "vitest";

export const RACE_WIDTH = 8;

/**
 * Runs `k` attempts that all start after one shared barrier (none gets ahead by being created
 * first); returns each attempt's result, or `{ error }` when it threw, in attempt order.
 */
export async function race<T>(k: number, attempt: (i: number) => Promise<T>): Promise<(T | { error: unknown })[]> {
  let release!: () => void;
  const barrier = new Promise<void>((r) => (release = r));
  const runs = Array.from({ length: k }, (_, i) => barrier.then(() => attempt(i)).catch((error: unknown) => ({ error })));
  release();
  return Promise.all(runs);
}

/** True for a result that is a thrown error captured by `race`. */
export function isRaceError(r: unknown): r is { error: unknown } {
  return typeof r === "object" && r !== null && "error" in r && Object.keys(r).length === 1;
}

/** Asserts no attempt threw and exactly one counts as the winner; returns the winner's index. */
export function expectOneWinner<T>(results: (T | { error: unknown })[], won: (r: T) => boolean): number {
  const errors = results.filter(isRaceError);
  expect(errors.map((e) => String((e.error as Error)?.stack ?? e.error))).toEqual([]);
  const winners = results.flatMap((r, i) => (won(r as T) ? [i] : []));
  expect(winners, `expected exactly one winner among ${results.length} attempts`).toHaveLength(1);
  return winners[0]!;
}

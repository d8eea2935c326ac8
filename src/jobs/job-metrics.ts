/**
 * What the app's metrics read from BullMQ: queue depths on scrape, and the outcomes features'
 * workers return (an escalation, a reminder sent), without the features knowing about metrics.
 */
import { Worker } from "bullmq";
import { QUEUES } from "./queues.js";
import type { Queues } from "./runtime.js";

const STATES = ["waiting", "delayed", "active", "failed", "prioritized", "waiting-children"] as const;

/** Jobs per queue and state, for every queue of the app. */
export async function queueDepths(queues: Queues): Promise<{ queue: string; state: string; count: number }[]> {
  const out: { queue: string; state: string; count: number }[] = [];
  for (const name of Object.values(QUEUES)) {
    const counts = await queues.get(name).getJobCounts(...STATES);
    for (const state of STATES) out.push({ queue: name, state, count: counts[state] ?? 0 });
  }
  return out;
}

/**
 * Calls `on[queue][returnValue]()` when a worker of that queue completes a job that returned
 * that value (`{ "concern-clocks": { escalated: … } }`). Things that are not workers are skipped.
 *
 * @example
 * observeOutcomes(closables, { [QUEUES.meetingReminders]: { sent: () => metrics.reminderFired() } })
 */
export function observeOutcomes(things: unknown[], on: Partial<Record<string, Record<string, () => void>>>): void {
  for (const thing of things) {
    if (!(thing instanceof Worker)) continue;
    const handlers = on[thing.name];
    if (handlers) thing.on("completed", (_job, result: unknown) => { if (typeof result === "string" && Object.hasOwn(handlers, result)) handlers[result]!(); });
  }
}

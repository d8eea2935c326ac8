/**
 * Rebuilds the deadline jobs of polls and opinion rounds from MongoDB (Redis holds only what
 * this can rebuild): every open one gets its job back at its deadline; one closed but whose
 * result or summary never went out gets a job that runs now.
 */
import type { PollDeps, PollDoc } from "./deps.js";
import { isPublished } from "./votes.js";
import { summarySent, type RoundDoc } from "../opinions/deps.js";

const earliest = (a: Date, b: Date) => (a.getTime() < b.getTime() ? a : b);

/** Re-creates missing poll deadline jobs; returns how many were missing. */
export async function reconcilePollDeadlines(deps: PollDeps): Promise<number> {
  const docs = (await deps.polls.Poll.find({ $or: [{ status: "open" }, { status: "closed", resultQueuedAt: { $exists: false } }] }).lean()) as PollDoc[];
  let created = 0;
  for (const d of docs) {
    if (d.status !== "open" && (await isPublished(deps, d))) continue;
    const at = d.status === "open" ? new Date(d.closesAt) : earliest(new Date(d.closesAt), deps.clock.now());
    if (await deps.scheduler.ensure("poll", d._id, at)) created++;
  }
  return created;
}

/** Re-creates missing opinion-round deadline jobs; returns how many were missing. */
export async function reconcileRoundDeadlines(deps: PollDeps): Promise<number> {
  const docs = (await deps.polls.OpinionRound.find({ $or: [{ status: "open" }, { status: "closed", summaryQueuedAt: { $exists: false } }] }).lean()) as RoundDoc[];
  let created = 0;
  for (const d of docs) {
    if (d.status !== "open" && (await summarySent(deps, d))) continue;
    const at = d.status === "open" ? new Date(d.closesAt) : earliest(new Date(d.closesAt), deps.clock.now());
    if (await deps.scheduler.ensure("opinion", d._id, at)) created++;
  }
  return created;
}

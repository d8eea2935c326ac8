/**
 * Closing a poll — by its organizer or at its deadline — decided once by the close fact; the
 * winner alone writes the poll document (status, erased anonymity secret), and the frozen result goes to every household and the
 * organizer (deterministic outbox keys: a retried close never sends twice).
 */
import { addressOf, householdsOf } from "../../store/audience.js";
import type { OutboxItem } from "../../engine/ports.js";
import { DEFAULT_DEADLINE_TOLERANCE_MS, loadPoll, nightHold, organizedPoll, type PollDeps, type PollDoc } from "./deps.js";
import { closeFactOf, decideClose, isPublished, markPublished } from "./votes.js";
import { tallyOf } from "./tally.js";
import { resultSay } from "./messages.js";
import type { ClosePollResult, DeadlineOutcome, PollActor, PollTally } from "./port.js";

/** Sends the frozen result once per guardian in scope and to the organizer; waits out the school's night. */
export async function publishResult(deps: PollDeps, d: PollDoc): Promise<PollTally> {
  const tally = await tallyOf(deps, d);
  const messages = [resultSay(tally)];
  const hold = await nightHold(deps, d.schoolId);
  const recipients = new Map<string, OutboxItem>();
  for (const h of await householdsOf(deps.models, d.studentIds))
    for (const g of h.guardians) recipients.set(g.identityId, { key: `poll-result-${d._id}-${g.identityId}`, recipient: g.address, messages, ...hold });
  const organizer = await addressOf(deps.models, d.organizerIdentityId);
  if (organizer) recipients.set(d.organizerIdentityId, { key: `poll-result-${d._id}-${d.organizerIdentityId}`, recipient: organizer, messages, ...hold });
  await deps.outbox.enqueueGroup(`poll-result-${d._id}`, [...recipients.values()]);
  await markPublished(deps, d._id);
  return tally;
}

/** Decides the close; the winner marks the poll closed and erases its secret; whoever finds no result queued publishes it. */
async function close(deps: PollDeps, d: PollDoc, kind: "closed" | "deadline", actor?: string): Promise<{ first: boolean; tally: PollTally }> {
  const decision = await decideClose(deps, d._id, kind, actor);
  if (decision.won) await deps.polls.Poll.updateOne({ _id: d._id }, { $set: { status: "closed", closedAt: deps.clock.now(), voterSecret: "" } });
  const now = (await loadPoll(deps, d._id)) ?? d;
  const tally = (await isPublished(deps, now)) ? await tallyOf(deps, now) : await publishResult(deps, now);
  return { first: decision.won, tally };
}

/** The organizer closes their poll early. */
export async function closePoll(deps: PollDeps, actor: PollActor, pollId: string): Promise<ClosePollResult> {
  const d = await organizedPoll(deps, actor, pollId);
  if (!d) return { status: "not-found" };
  const { first, tally } = await close(deps, d, "closed", actor.identityId);
  return first ? { status: "closed", tally } : { status: "already-closed", tally };
}

/**
 * The deadline job: closes an open poll, or finishes a close whose result was never queued.
 * Fired early (clock skew, a rebuilt job): not an error, the job waits until the deadline.
 */
export async function runPollDeadline(deps: PollDeps, pollId: string): Promise<DeadlineOutcome> {
  const d = await loadPoll(deps, pollId);
  if (!d || (await isPublished(deps, d))) return "skipped";
  const closesAt = new Date(d.closesAt);
  if (!(await closeFactOf(deps, d._id)) && closesAt.getTime() - (deps.deadlineToleranceMs ?? DEFAULT_DEADLINE_TOLERANCE_MS) > deps.clock.now().getTime()) return { waitUntil: closesAt };
  await close(deps, d, "deadline");
  return "closed";
}

/**
 * Closing a round — by its organizer or at its deadline — decided once by the close fact; the
 * summary goes once to every participant and the organizer (deterministic outbox keys).
 */
import { addressOf } from "../../store/audience.js";
import type { OutboxItem } from "../../engine/ports.js";
import type { DeadlineOutcome, PollActor } from "../polls/port.js";
import { DEFAULT_DEADLINE_TOLERANCE_MS, nightHold } from "../polls/deps.js";
import { decideRoundClose, ensureFrozenSummary, loadRound, markSummarySent, organizedRound, roundClosed, summarySent, toRoundView, type OpinionDeps, type RoundDoc } from "./deps.js";
import { summarySay } from "./messages.js";
import type { CloseRoundResult, RoundSummary } from "./port.js";

/** Opinions, households that took part, anonymous and named counts: live while open, the frozen summary once closed. */
export async function summaryOf(deps: OpinionDeps, d: RoundDoc, closed = false): Promise<RoundSummary> {
  if (closed || (await roundClosed(deps, d._id))) {
    const f = await ensureFrozenSummary(deps, d._id);
    return { round: toRoundView(d, true), opinions: f.opinionIds.length, households: f.households, anonymous: f.anonymous, named: f.opinionIds.length - f.anonymous };
  }
  const docs = await deps.polls.Opinion.find({ roundId: d._id }).lean();
  const households = new Set((await deps.polls.OpinionParticipant.find({ roundId: d._id }).lean()).map((p) => p.studentId)).size;
  const anonymous = docs.filter((o) => o.anonymous).length;
  return { round: toRoundView(d), opinions: docs.length, households, anonymous, named: docs.length - anonymous };
}

/** Sends the summary once to every participant and the organizer; waits out the school's night. */
async function publishSummary(deps: OpinionDeps, d: RoundDoc): Promise<RoundSummary> {
  const summary = await summaryOf(deps, d, true);
  const ids = new Set((await deps.polls.OpinionParticipant.find({ roundId: d._id }).lean()).map((p) => p.identityId));
  ids.add(d.organizerIdentityId);
  const hold = await nightHold(deps, d.schoolId);
  const items: OutboxItem[] = [];
  for (const identityId of ids) {
    const recipient = await addressOf(deps.models, identityId);
    if (recipient) items.push({ key: `opinion-summary-${d._id}-${identityId}`, recipient, messages: [summarySay(summary)], ...hold });
  }
  await deps.outbox.enqueueGroup(`opinion-summary-${d._id}`, items);
  await markSummarySent(deps, d._id);
  return summary;
}

async function close(deps: OpinionDeps, d: RoundDoc, kind: "closed" | "deadline", actor?: string): Promise<{ first: boolean; summary: RoundSummary }> {
  const decision = await decideRoundClose(deps, d._id, kind, actor);
  if (decision.won) await deps.polls.OpinionRound.updateOne({ _id: d._id }, { $set: { status: "closed", closedAt: deps.clock.now() } });
  const now = (await loadRound(deps, d._id)) ?? d;
  return { first: decision.won, summary: (await summarySent(deps, now)) ? await summaryOf(deps, now, true) : await publishSummary(deps, now) };
}

/** The organizer closes their round early. */
export async function closeRound(deps: OpinionDeps, actor: PollActor, roundId: string): Promise<CloseRoundResult> {
  const d = await organizedRound(deps, actor, roundId);
  if (!d) return { status: "not-found" };
  const { first, summary } = await close(deps, d, "closed", actor.identityId);
  return first ? { status: "closed", summary } : { status: "already-closed", summary };
}

/** The deadline job: closes an open round or finishes a close whose summary was never queued; early, it waits. */
export async function runRoundDeadline(deps: OpinionDeps, roundId: string): Promise<DeadlineOutcome> {
  const d = await loadRound(deps, roundId);
  if (!d || (await summarySent(deps, d))) return "skipped";
  const closesAt = new Date(d.closesAt);
  if (!(await roundClosed(deps, roundId)) && closesAt.getTime() - (deps.deadlineToleranceMs ?? DEFAULT_DEADLINE_TOLERANCE_MS) > deps.clock.now().getTime()) return { waitUntil: closesAt };
  await close(deps, d, "deadline");
  return "closed";
}

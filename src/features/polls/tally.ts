/** The organizer's tally: live from the current votes while open, the frozen result once closed. */
import { organizedPoll, toPollView, type PollDeps, type PollDoc } from "./deps.js";
import { closeFactOf, countsOf, ensureResult, votesOf, type VoteRow } from "./votes.js";
import type { PollActor, PollTally } from "./port.js";
import { reachabilityOf } from "../../store/audience.js";

/** Each voting household by the student's name (visible polls only), in the poll's order. */
async function votersOf(deps: PollDeps, d: PollDoc, rows: VoteRow[]): Promise<PollTally["voters"]> {
  const live = rows.filter((r) => r.chosen.length > 0 && r.studentId);
  const names = new Map((await deps.models.Student.find({ _id: { $in: live.map((r) => r.studentId) } }).lean()).map((s) => [s._id, s.fullName]));
  return d.studentIds.flatMap((id) => live.filter((r) => r.studentId === id).map((r) => ({ studentName: names.get(id) ?? "?", chosen: r.chosen })));
}

/**
 * The households apart from the votes. An anonymous vote names no household: there the
 * unreachable ones are taken as not having voted (a household that voted, then blocked the
 * bot, is counted once among the votes and once as unreachable).
 */
async function reachOf(deps: PollDeps, d: PollDoc, rows: VoteRow[], voted: number): Promise<PollTally["reach"]> {
  const live = rows.filter((r) => r.chosen.length > 0);
  const named = live.every((r) => r.studentId);
  const votedBy = new Set(live.map((r) => r.studentId));
  const silent = [...(await reachabilityOf(deps.models, d.studentIds))].filter(([id]) => !named || !votedBy.has(id)).map(([, reach]) => reach);
  const notLinked = silent.filter((x) => x === "not-linked").length, blocked = silent.filter((x) => x === "blocked").length;
  const notVoted = named ? silent.length - notLinked - blocked : Math.max(0, d.studentIds.length - voted - notLinked - blocked);
  return { notVoted, notLinked, blocked };
}

/** The tally of a poll; once the close fact exists, exactly the frozen result (what every household is sent). */
export async function tallyOf(deps: PollDeps, d: PollDoc): Promise<PollTally> {
  const closed = !!(await closeFactOf(deps, d._id));
  let rows = await votesOf(deps, d._id);
  let counted = countsOf(d, rows);
  if (closed) {
    const result = await ensureResult(deps, d);
    const ids = new Set(result.voteIds);
    rows = rows.filter((r) => r.ids.some((id) => ids.has(id)));
    counted = { counts: result.counts, voted: result.voted };
  }
  const tally: PollTally = { poll: toPollView(d, closed), ...counted, households: d.studentIds.length, reach: await reachOf(deps, d, rows, counted.voted) };
  if (d.anonymity !== "anonymous") tally.voters = await votersOf(deps, d, rows);
  return tally;
}

/** The organizer's tally, or undefined when the poll is not theirs. */
export async function tally(deps: PollDeps, actor: PollActor, pollId: string): Promise<PollTally | undefined> {
  const d = await organizedPoll(deps, actor, pollId);
  return d ? tallyOf(deps, d) : undefined;
}

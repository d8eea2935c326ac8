/**
 * Rebuilds the notices' Redis-held jobs from MongoDB (after Redis lost its data, and every
 * minute): the due job of every scheduled notice not yet decided, and the fan-out job of every
 * recent round whose fan-out has not finished. Summaries left behind by a crash between a
 * dispatch fact and its summary are written again. Idempotent: deterministic job ids.
 */
import type { TransitionFact } from "../../store/facts.js";
import { DAY_MS, dispatchOf, fanOutFactId, projectDispatch, type NoticeDeps } from "./deps.js";

/** How far back unfinished fan-outs are looked for. */
export const FAN_OUT_LOOKBACK_DAYS = 7;

/** Returns how many jobs it (re)created. */
export async function reconcileNotices(deps: NoticeDeps): Promise<number> {
  let n = 0;
  for (const d of await deps.notices.Notice.find({ status: "scheduled" }).lean()) {
    const fact = await dispatchOf(deps, d._id);
    if (fact) await projectDispatch(deps, d._id, fact);
    else if (d.sendAt && (await deps.jobs.restoreSchedule(d._id, new Date(d.sendAt)))) n++;
  }
  const since = new Date(deps.clock.now().getTime() - FAN_OUT_LOOKBACK_DAYS * DAY_MS);
  const rounds = [
    ...(await deps.notices.Notice.find({ status: "sent", sentAt: { $gte: since } }).lean()).map((d) => ({ noticeId: d._id, round: 0 })),
    ...(await deps.notices.NoticeRound.find({ at: { $gte: since } }).lean()).map((r) => ({ noticeId: r.noticeId, round: r.round })),
  ];
  const done = new Set(((await deps.models.Transition.find({ _id: { $in: rounds.map((r) => fanOutFactId(r.noticeId, r.round)) } }).lean()) as TransitionFact[]).map((f) => f._id));
  for (const r of rounds) if (!done.has(fanOutFactId(r.noticeId, r.round)) && (await deps.jobs.restoreFanOut(r.noticeId, r.round))) n++;
  return n;
}

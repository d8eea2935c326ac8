/**
 * *Nhắc lại*: re-notifies the households that have not confirmed. Each round is a decision of
 * its own — the insert of `${noticeId}-r${round}` with the households it reminds — so two taps
 * on one report (the sender saw `round - 1` rounds) send one round; its fan-out is a job.
 */
import { decideOnce } from "../../store/facts.js";
import type { NoticeActor, RenotifyResult } from "./port.js";
import type { NoticeDeps } from "./deps.js";
import { managedNotice } from "./access.js";
import { householdsToRemind } from "./report.js";

export interface NoticeRoundFact {
  _id: string;
  noticeId: string;
  round: number;
  by: string;
  households: number;
  studentIds: string[];
  at: Date;
}

export async function renotify(deps: NoticeDeps, actor: NoticeActor, id: string, round: number): Promise<RenotifyResult> {
  const d = await managedNotice(deps, actor, id);
  if (!d || !Number.isInteger(round) || round < 1) return { status: "not-found" };
  if (d.status !== "sent") return { status: "not-sent-yet" };
  if (d.kind !== "ack") return { status: "nothing-to-do" };
  const previous = await deps.notices.NoticeRound.findById(`${id}-r${round}`).lean();
  if (previous) return { status: "already", households: previous.households, round };
  const pending = await householdsToRemind(deps, d);
  if (pending.length === 0) return { status: "nothing-to-do" };
  const decision = await decideOnce<NoticeRoundFact>(deps.notices.NoticeRound, {
    _id: `${id}-r${round}`, noticeId: id, round, by: actor.identityId, households: pending.length, studentIds: pending.map((h) => h.studentId), at: deps.clock.now(),
  });
  if (!decision.won) return { status: "already", households: decision.fact.households, round };
  await deps.jobs.fanOut(id, round);
  return { status: "sent", households: pending.length, round };
}

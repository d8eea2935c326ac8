/**
 * Sending and cancelling: the due job of a scheduled notice, a sender's cancel (the two compete
 * for the notice's one dispatch fact), and the fan-out job of a round.
 */
import { decideOnce } from "../../store/facts.js";
import { householdsInScope, householdsOf, type Household } from "../../store/audience.js";
import type { OutboxItem } from "../../engine/ports.js";
import type { CancelResult, NoticeActor } from "./port.js";
import { audienceOf, decideDispatch, dispatchOf, fanOutFactId, holdFor, loadNotice, noticeDeliveryKey, noticeGuardianKey, noticeEntity, noticeGroup, zoneOf, type NoticeDeps, type NoticeDoc } from "./deps.js";
import { householdMessage, scopeNameOf, viewOf } from "./messages.js";
import { managedNotice } from "./access.js";

/** Deliveries recorded and enqueued per step of a fan-out (a fan-out that dies mid-way resumes with the same keys). */
export const FAN_OUT_CHUNK = 100;

export type DueOutcome = "sent" | "already-sent" | "cancelled" | "missing";

/**
 * The due job of a scheduled notice: decides "sent" unless a cancel decided first, then hands
 * the notice to its fan-out job. A retried job (lost decision, kind "sent") enqueues the same
 * fan-out job again, which BullMQ keeps once.
 */
export async function runDue(deps: NoticeDeps, job: { noticeId: string }): Promise<DueOutcome> {
  const d = await loadNotice(deps, job.noticeId);
  if (!d) return "missing";
  // A notice cancelled before dispatch facts existed has no fact to lose against.
  if (d.status === "cancelled" && !(await dispatchOf(deps, d._id))) return "cancelled";
  const decision = await decideDispatch(deps, d._id, "sent", "due-job");
  if (decision.fact.kind !== "sent") return "cancelled";
  await deps.jobs.fanOut(d._id, 0);
  return decision.won ? "sent" : "already-sent";
}

/** Cancels a scheduled notice unless it already went out; the sender is told which happened. */
export async function cancelNotice(deps: NoticeDeps, actor: NoticeActor, id: string): Promise<CancelResult> {
  const d = await managedNotice(deps, actor, id);
  if (!d) return { status: "not-found" };
  if (d.status === "cancelled" && !(await dispatchOf(deps, id))) return { status: "cancelled", notice: await viewOf(deps, d), decided: false };
  const decision = await decideDispatch(deps, id, "cancelled", actor.identityId);
  if (decision.fact.kind === "sent") return { status: "already-sent" };
  if (decision.won) await deps.jobs.unschedule(id);
  return { status: "cancelled", notice: await viewOf(deps, (await loadNotice(deps, id))!), decided: decision.won };
}

/** The households a round reaches: round 0 every household in scope, a re-notify round those decided with it. */
async function householdsOfRound(deps: NoticeDeps, d: NoticeDoc, round: number): Promise<Household[] | undefined> {
  if (round === 0) return (await dispatchOf(deps, d._id))?.kind === "sent" ? householdsInScope(deps.models, audienceOf(d)) : undefined;
  const r = await deps.notices.NoticeRound.findById(`${d._id}-r${round}`).lean();
  // Rounds recorded before they kept their households were fanned out when decided.
  return r ? householdsOf(deps.models, r.studentIds ?? []) : undefined;
}

/** Households regrouped per guardian: one message per guardian, naming each of their children in scope (sorted, so a re-run gives the same keys). */
export function perGuardian(households: readonly Household[]): Map<string, { address: Household["guardians"][number]["address"]; children: { studentId: string; studentName: string }[] }> {
  const out = new Map<string, { address: Household["guardians"][number]["address"]; children: { studentId: string; studentName: string }[] }>();
  for (const h of [...households].sort((a, b) => (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0)))
    for (const g of h.guardians) {
      const entry = out.get(g.identityId) ?? { address: g.address, children: [] };
      entry.children.push({ studentId: h.studentId, studentName: h.studentName });
      out.set(g.identityId, entry);
    }
  return out;
}

/**
 * The fan-out job of one round: records and enqueues one delivery per (household, reachable
 * guardian) with deterministic keys, chunk by chunk, then records that the round is out. Run
 * again (a retry, a crash, reconcile), it enqueues the same keys: nobody gets it twice.
 */
export async function runFanOut(deps: NoticeDeps, job: { noticeId: string; round: number }): Promise<"fanned-out" | "skipped"> {
  const d = await loadNotice(deps, job.noticeId);
  const households = d ? await householdsOfRound(deps, d, job.round) : undefined;
  if (!d || !households) return "skipped";
  const [hold, timeZone] = await Promise.all([holdFor(deps, d, deps.clock.now()), zoneOf(deps, d.schoolId)]);
  const scopeName = await scopeNameOf(deps, d);
  const items: OutboxItem[] = [...perGuardian(households).entries()].map(([identityId, g]) => ({
    key: g.children.length === 1 ? noticeDeliveryKey(d._id, job.round, g.children[0]!.studentId, identityId) : noticeGuardianKey(d._id, job.round, identityId),
    recipient: g.address, messages: [householdMessage(d, g.children, job.round, scopeName)], ...hold, timeZone,
  }));
  for (let i = 0; i < items.length; i += FAN_OUT_CHUNK) await deps.outbox.enqueueGroup(noticeGroup(d._id), items.slice(i, i + FAN_OUT_CHUNK));
  const reached = households.filter((h) => h.guardians.length > 0).length;
  await decideOnce(deps.models.Transition, {
    _id: fanOutFactId(d._id, job.round), entity: noticeEntity(d._id), kind: "fanned-out", actor: "", at: deps.clock.now(), data: JSON.stringify({ households: reached }),
  });
  return "fanned-out";
}

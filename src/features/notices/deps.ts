/**
 * What the notice use cases share: their dependencies, the stored notice as they read it,
 * deterministic ids and keys, the notice's audience and quiet hours, and the dispatch decision.
 *
 * **One decision per notice.** Whether a notice goes out or not is the fact
 * `notice:<id>#dispatch` (`kind: "sent" | "cancelled"`) in `transitions`: a send now, the due job
 * of a scheduled notice and a cancel all try to insert it, the first insert wins and everybody
 * else acts on the winner. The notice's `status`/`sentAt` are written from that fact only.
 */
import { createHash } from "node:crypto";
import type { Clock, OutboxItem } from "../../engine/ports.js";
import type { Say } from "../../engine/say.js";
import type { Models } from "../../store/models.js";
import type { NoticeModels } from "../../store/notice-models.js";
import type { AudienceScope } from "../../store/audience.js";
import { decideTransition, type TransitionFact } from "../../store/facts.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { schoolTimeZone } from "../../store/school-zone.js";
import { holdUntil } from "../../domain/quiet-hours.js";
import type { NoticeJobs, NoticeReport } from "./port.js";

export interface NoticeDeps {
  models: Models;
  notices: NoticeModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  jobs: NoticeJobs;
  clock: Clock;
  /** The deployment's zone (`SCHOOL_TIME_ZONE`), for schools that set none of their own. */
  timeZone?: string;
  /** How far back guardians' `/thongbao` looks (default 30 days). */
  recentDays?: number;
  /** The report pushed to the sender as confirmations arrive (without it: no live refresh). */
  reportRefreshSay?: (report: NoticeReport) => Say;
}

/** A notice as stored. */
export type NoticeDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; grade: number; kind: string; text: string;
  fileMedia: string; fileRef: string; fileName: string; deadline: Date | null; urgent: boolean; status: string;
  sendAt: Date | null; sentAt: Date | null; authorIdentityId: string;
  signerRole: string; signerClassName: string; signerTitle: string; signerName: string;
};

export const DAY_MS = 86_400_000;

/** A short opaque id (9 chars, [a-z0-9]) derived from the creating event: a retried create finds the same notice. */
export function noticeIdFor(eventId: string): string {
  return "n" + BigInt("0x" + createHash("sha256").update(eventId).digest("hex").slice(0, 12)).toString(36).slice(0, 8);
}

/** The outbox group of every delivery of a notice (all rounds). */
export const noticeGroup = (noticeId: string) => `n-${noticeId}`;

/** The delivery key of one message: per (notice, round, student, guardian). */
export const noticeDeliveryKey = (noticeId: string, round: number, studentId: string, identityId: string) => `n-${noticeId}-r${round}-${studentId}-${identityId}`;
/** The delivery key of one round's message to a guardian of several children in scope (one message naming them all). */
export const noticeGuardianKey = (noticeId: string, round: number, identityId: string) => `n-${noticeId}-r${round}-g-${identityId}`;

/** The entity of a notice's facts in `transitions`. */
export const noticeEntity = (noticeId: string) => `notice:${noticeId}`;

/** `_id` of the fact recording that a round's fan-out finished. */
export const fanOutFactId = (noticeId: string, round: number) => `${noticeEntity(noticeId)}#fanout-r${round}`;

/** `_id` of the dispatch fact. */
export const dispatchFactId = (noticeId: string) => `${noticeEntity(noticeId)}#dispatch`;

export async function loadNotice(deps: Pick<NoticeDeps, "notices">, id: string): Promise<NoticeDoc | undefined> {
  return ((await deps.notices.Notice.findById(id).lean()) as NoticeDoc | null) ?? undefined;
}

/** The notice's audience as the shared audience module sees it. */
export function audienceOf(d: Pick<NoticeDoc, "scope" | "classGroupId" | "grade" | "schoolId">): AudienceScope {
  if (d.scope === "class") return { kind: "class", classGroupId: d.classGroupId };
  return d.scope === "grade" ? { kind: "grade", schoolId: d.schoolId, grade: d.grade } : { kind: "school", schoolId: d.schoolId };
}

/** The school's time zone (`School.timeZone`, else the deployment's): its night and its messages' dates. */
export const zoneOf = (deps: Pick<NoticeDeps, "models" | "timeZone">, schoolId: string) => schoolTimeZone(deps.models, schoolId, deps.timeZone);

/** `{ notBefore }` while the school's nightly window holds a non-urgent notice; the principal's khẩn cấp goes at once. */
export async function holdFor(deps: NoticeDeps, d: Pick<NoticeDoc, "schoolId" | "urgent">, at: Date): Promise<{ notBefore?: Date }> {
  if (d.urgent) return {};
  return holdUntil(at, await schoolQuietHours(deps.models, d.schoolId), await zoneOf(deps, d.schoolId));
}

/**
 * Decides whether the notice goes out ("sent") or not ("cancelled"), once: returns the winning
 * fact and whether this call won. The summary (`status`, `sentAt`) is then written from the fact.
 */
export async function decideDispatch(deps: NoticeDeps, noticeId: string, kind: "sent" | "cancelled", actor: string) {
  const decision = await decideTransition(deps.models, { entity: noticeEntity(noticeId), slot: "dispatch", kind, actor, at: deps.clock.now() });
  await projectDispatch(deps, noticeId, decision.fact);
  return decision;
}

/** Writes the notice's summary from its dispatch fact (the same values whoever writes them). */
export async function projectDispatch(deps: Pick<NoticeDeps, "notices">, noticeId: string, fact: Pick<TransitionFact, "kind" | "at">): Promise<void> {
  const $set = fact.kind === "sent" ? { status: "sent", sentAt: new Date(fact.at) } : { status: "cancelled" };
  await deps.notices.Notice.updateOne({ _id: noticeId }, { $set });
}

/** The dispatch fact of a notice, when decided. */
export async function dispatchOf(deps: Pick<NoticeDeps, "models">, noticeId: string): Promise<TransitionFact | undefined> {
  return ((await deps.models.Transition.findById(dispatchFactId(noticeId)).lean()) as TransitionFact | null) ?? undefined;
}

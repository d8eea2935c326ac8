/**
 * What every meeting use case gets (`MeetingDeps`) and the small reads they share: the meeting
 * summary, its view, who may organize it, its households, the school's nightly hold.
 */
import type { Clock, OutboxItem } from "../../engine/ports.js";
import type { Say } from "../../engine/say.js";
import { holdUntil } from "../../domain/quiet-hours.js";
import { leadsSchool, teachesClass } from "../../domain/roles.js";
import type { Rung } from "../../domain/meeting-reminders.js";
import type { Models } from "../../store/models.js";
import type { MeetingModels } from "../../store/meeting-models.js";
import { addressOf, householdsInScope, type AudienceScope, type Household } from "../../store/audience.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { inZone, schoolTimeZone } from "../../store/school-zone.js";
import { readerOfIdentity } from "../../store/directory.js";
import { meetingLadderOf } from "../../store/meeting-settings.js";
import type { MeetingActor, MeetingKind, MeetingReminderScheduler, MeetingStatus, MeetingView } from "./port.js";

export interface MeetingDeps {
  models: Models;
  meetings: MeetingModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: MeetingReminderScheduler;
  clock: Clock;
  /** The ladder for schools without their own settings document (the default otherwise). */
  ladder?: readonly Rung[];
  /** The deployment's zone (`SCHOOL_TIME_ZONE`), for schools that set none of their own. */
  timeZone?: string;
}

/** The meeting summary as stored (written only by the winner of a transition, see transition.ts). */
export type MeetingDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; grade: number; kind: string; startsAt: Date; place: string;
  agenda: string; status: string; version: number; boardRound: number; organizerIdentityId: string; boardHeadIdentityId: string;
  plannedOffsets: string[]; minutes: string;
};

/** Statuses a meeting can still change from. */
export const ACTIVE: readonly MeetingStatus[] = ["draft", "pending-board", "published"];

/** The school's time zone (`School.timeZone`, else the deployment's): its clocks and its messages' dates. */
export const zoneOf = (deps: MeetingDeps, schoolId: string) => schoolTimeZone(deps.models, schoolId, deps.timeZone);

/** Queues messages about a school's meeting: their dates show in the school's zone. */
export async function enqueueFor(deps: MeetingDeps, schoolId: string, group: string, items: OutboxItem[]): Promise<void> {
  await deps.outbox.enqueueGroup(group, inZone(items, await zoneOf(deps, schoolId)));
}

export async function loadMeeting(deps: MeetingDeps, id: string): Promise<MeetingDoc | null> {
  return (await deps.meetings.Meeting.findById(id).lean()) as MeetingDoc | null;
}

/** The meeting as flows show it. */
export async function viewOf(deps: MeetingDeps, d: MeetingDoc): Promise<MeetingView> {
  let scopeName = "";
  if (d.scope === "class") scopeName = (await deps.models.ClassGroup.findById(d.classGroupId).lean())?.name ?? "";
  else if (d.scope === "grade") scopeName = String(d.grade);
  return {
    id: d._id, kind: d.kind as MeetingKind, scope: d.scope as MeetingView["scope"], scopeName, ...(d.scope === "class" ? { classGroupId: d.classGroupId } : {}), schoolId: d.schoolId, startsAt: new Date(d.startsAt),
    place: d.place, agenda: d.agenda, status: d.status as MeetingStatus, version: d.version, boardRound: d.boardRound,
  };
}

/** One audit document (`id` makes it idempotent). */
export async function audit(deps: MeetingDeps, meetingId: string, actor: string, action: string, details: Record<string, unknown> = {}, id?: string): Promise<void> {
  const doc = { meetingId, actor, action, at: deps.clock.now(), details: JSON.stringify(details) };
  if (id) await deps.meetings.MeetingAudit.updateOne({ _id: id }, { $setOnInsert: doc }, { upsert: true });
  else await deps.meetings.MeetingAudit.create(doc);
}

/**
 * Ban giám hiệu organize every meeting; a class meeting belongs to the class's current homeroom
 * teacher (a teacher replaced mid-year hands it over at once, see src/features/staff); other
 * meetings to whoever created them.
 */
export const mayOrganize = (actor: MeetingActor, d: MeetingDoc) =>
  leadsSchool(actor.roles, d.schoolId) || (d.scope === "class" ? teachesClass(actor.roles, d.classGroupId) : d.organizerIdentityId === actor.identityId);

/** The organizer's own meeting, or nothing (never tells whether another class's meeting exists). */
export async function organized(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<MeetingDoc | undefined> {
  const d = await loadMeeting(deps, id);
  return d && mayOrganize(actor, d) ? d : undefined;
}

/** The audience scope of a meeting. */
export function scopeOf(d: Pick<MeetingDoc, "scope" | "classGroupId" | "schoolId" | "grade">): AudienceScope {
  if (d.scope === "class") return { kind: "class", classGroupId: d.classGroupId };
  return d.scope === "grade" ? { kind: "grade", schoolId: d.schoolId, grade: d.grade } : { kind: "school", schoolId: d.schoolId };
}

export const householdsOfMeeting = (deps: MeetingDeps, d: Pick<MeetingDoc, "scope" | "classGroupId" | "schoolId" | "grade">): Promise<Household[]> =>
  householdsInScope(deps.models, scopeOf(d));

/** True when the actor is a guardian of `studentId` and the student is in the meeting's scope. */
export async function guardianMayAnswer(deps: MeetingDeps, actor: MeetingActor, d: MeetingDoc, studentId: string): Promise<boolean> {
  const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
  if (!g) return false;
  const scope = scopeOf(d);
  if (scope.kind === "class") return scope.classGroupId === g.classGroupId;
  const cls = await deps.models.ClassGroup.findById(g.classGroupId).lean();
  const year = cls ? await deps.models.SchoolYear.findById(cls.yearId).lean() : null;
  return !!cls && !!year && !year.archived && cls.schoolId === d.schoolId && (scope.kind === "school" || cls.grade === scope.grade);
}

/** One message to one person (when reachable), about a matter of school `schoolId`. */
export async function tell(deps: MeetingDeps, schoolId: string, group: string, key: string, identityId: string, messages: Say[]): Promise<void> {
  const recipient = await addressOf(deps.models, identityId);
  if (!recipient) return;
  // Addressed as the engine would address them: "Cô", "Thầy", or "Quý phụ huynh" for a board head.
  const reader = await readerOfIdentity(deps.models, identityId);
  await enqueueFor(deps, schoolId, group, [{ key, recipient, messages: messages.map((m) => ({ ...m, args: { ...reader, ...m.args } })) }]);
}

/** Not urgent: held until the school's nightly window ends (changes and cancellations go at once). */
export async function nightHold(deps: MeetingDeps, schoolId: string): Promise<{ notBefore?: Date }> {
  return holdUntil(deps.clock.now(), await schoolQuietHours(deps.models, schoolId), await zoneOf(deps, schoolId));
}

export const ladderOf = (deps: MeetingDeps, schoolId: string) => meetingLadderOf(deps.meetings, schoolId, deps.ladder);

/** The school's board head for a class meeting (class board) or a grade/school one (school board). */
export async function boardHeadFor(deps: MeetingDeps, d: Pick<MeetingDoc, "scope" | "schoolId" | "classGroupId">): Promise<string | undefined> {
  const filter = d.scope === "class" ? { schoolId: d.schoolId, scope: "class", classGroupId: d.classGroupId, position: "head" } : { schoolId: d.schoolId, scope: "school", position: "head" };
  return (await deps.models.BoardMembership.findOne(filter).lean())?.identityId;
}

export const safeKey = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

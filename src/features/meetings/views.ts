/**
 * What organizers and guardians read: their meetings, the tally, the attendance sheet, the
 * questions and opinions, and the CSV export.
 */
import { countOaRoutes, householdRoute, type OaRouteCounts } from "../../domain/oa-route-counts.js";
import { groupStatuses, type DeliveryReportRow } from "../../store/deliveries.js";
import type { Household } from "../../store/audience.js";
import { stringify } from "csv-stringify/sync";
import { ACTIVE, guardianMayAnswer, householdsOfMeeting, loadMeeting, mayOrganize, organized, safeKey, viewOf, type MeetingDeps, type MeetingDoc } from "./deps.js";
import type { AttendanceSheet, GuardianInvite, MeetingActor, MeetingQuestionView, MeetingView, Tally, TallyRow } from "./port.js";
import { latestAnswers } from "./rsvp.js";
import { remindersMissed } from "./reminders.js";
import { reachabilityOf } from "../../store/audience.js";

/** Held meetings stay in the organizer's list this long (opinions, attendance, export). */
const HELD_LISTED_DAYS = 60;
/** A cancelled meeting stays in its organizer's list (marked "đã hủy") this long after the cancellation. */
const CANCELLED_LISTED_DAYS = 30;

/** The organizer's meetings that are not over, and those held in the last 60 days. */
export async function listOrganized(deps: MeetingDeps, actor: MeetingActor): Promise<MeetingView[]> {
  const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
  const classes = actor.roles.staff.filter((s) => s.role === "homeroom-teacher").map((s) => s.classGroupId);
  const recentlyHeld = { status: "held", startsAt: { $gt: new Date(deps.clock.now().getTime() - HELD_LISTED_DAYS * 86_400_000) } };
  const recentlyCancelled = { status: "cancelled", updatedAt: { $gt: new Date(deps.clock.now().getTime() - CANCELLED_LISTED_DAYS * 86_400_000) } };
  const docs = (await deps.meetings.Meeting.find({
    $and: [{ $or: [{ status: { $in: ACTIVE } }, recentlyHeld, recentlyCancelled] }, { $or: [{ organizerIdentityId: actor.identityId }, { schoolId: { $in: schools } }, { scope: "class", classGroupId: { $in: classes } }] }],
  }).sort({ startsAt: 1 }).lean()) as MeetingDoc[];
  return Promise.all(docs.filter((d) => mayOrganize(actor, d)).map((d) => viewOf(deps, d)));
}

/** Upcoming published meetings for the actor's children, with each household's latest answer. */
export async function listForGuardian(deps: MeetingDeps, actor: MeetingActor): Promise<GuardianInvite[]> {
  const out = new Map<string, GuardianInvite>();
  for (const g of actor.roles.guardianOf) {
    const cls = await deps.models.ClassGroup.findById(g.classGroupId).lean();
    if (!cls) continue;
    const docs = (await deps.meetings.Meeting.find({
      status: "published", startsAt: { $gt: deps.clock.now() }, schoolId: g.schoolId,
      $or: [{ scope: "class", classGroupId: g.classGroupId }, { scope: "grade", grade: cls.grade }, { scope: "school" }],
    }).lean()) as MeetingDoc[];
    for (const d of docs) {
      if (!(await guardianMayAnswer(deps, actor, d, g.studentId))) continue;
      const entry = out.get(d._id) ?? { meeting: await viewOf(deps, d), students: [] };
      const r = (await latestAnswers(deps, d._id, g.studentId)).get(g.studentId);
      entry.students.push({ studentId: g.studentId, studentName: g.studentName, ...(r ? { answer: r.answer, reason: r.reason } : {}) });
      out.set(d._id, entry);
    }
  }
  return [...out.values()].sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime());
}

/** Per household: its latest answer and that answer's own reason. */
export async function tally(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<Tally | undefined> {
  const d = await organized(deps, actor, id);
  if (!d) return undefined;
  const answers = await latestAnswers(deps, id);
  const households = await householdsOfMeeting(deps, d);
  const reach = await reachabilityOf(deps.models, households.map((h) => h.studentId));
  const rows: TallyRow[] = households.map((h) => {
    const r = answers.get(h.studentId);
    return { studentName: h.studentName, answer: r?.answer ?? "none", reason: r?.reason ?? "", reach: reach.get(h.studentId) ?? "not-linked" };
  });
  const counts = { yes: 0, no: 0, other: 0, none: 0, notLinked: 0, blocked: 0 };
  for (const r of rows) counts[r.answer !== "none" || r.reach === "reachable" ? r.answer : r.reach === "blocked" ? "blocked" : "notLinked"]++;
  const missed = await remindersMissed(deps, d, households, (studentId) => answers.get(studentId)?.answer === "no");
  return {
    meeting: await viewOf(deps, d), rows, counts, oa: await invitationRoutes(deps, id, households),
    remindersMissed: households.filter((h) => missed.has(h.studentId)).map((h) => h.studentName),
  };
}

/** Households by the OA route of their invitation (any guardian's delivery; one that arrived counts first). */
async function invitationRoutes(deps: MeetingDeps, id: string, households: Household[]): Promise<OaRouteCounts> {
  const byIdentity = new Map<string, DeliveryReportRow[]>();
  for (const x of (await groupStatuses(deps.models, `minv-${id}`)).values()) byIdentity.set(x.identityId, [...(byIdentity.get(x.identityId) ?? []), x]);
  const routes: string[] = [];
  for (const h of households) {
    let route: string | undefined;
    for (const g of h.guardians) for (const x of byIdentity.get(g.identityId) ?? []) route = householdRoute(route, x);
    if (route) routes.push(route);
  }
  return countOaRoutes(routes);
}

/** The meeting's pupils in tally order with their answer and any recorded attendance. */
export async function attendanceSheet(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<AttendanceSheet | undefined> {
  const d = await organized(deps, actor, id);
  if (!d) return undefined;
  const answers = await latestAnswers(deps, id);
  const marks = new Map((await deps.meetings.MeetingAttendance.find({ meetingId: id }).lean()).map((a) => [a.studentId, a.present]));
  return {
    meeting: await viewOf(deps, d),
    students: (await householdsOfMeeting(deps, d)).map((h) => ({
      studentId: h.studentId, studentName: h.studentName, answer: answers.get(h.studentId)?.answer ?? "none",
      ...(marks.has(h.studentId) ? { present: marks.get(h.studentId)! } : {}),
    })),
  };
}

type Said = { at: Date; text: string; studentId?: string | null; anonymous?: boolean | null };

/** Names the pupil of each question or opinion unless it was anonymous. */
async function named(deps: MeetingDeps, items: Said[]): Promise<MeetingQuestionView[]> {
  const names = new Map((await deps.models.Student.find({ _id: { $in: items.map((o) => o.studentId ?? "") } }).lean()).map((st) => [st._id, st.fullName]));
  return items.map((o) => ({ at: o.at, text: o.text, studentName: o.anonymous ? "" : names.get(o.studentId ?? "") ?? "" }));
}

/** A guardian's question before the meeting (one document per message). */
export async function ask(deps: MeetingDeps, actor: MeetingActor, id: string, studentId: string, text: string, anonymous: boolean, eventId: string) {
  const d = await loadMeeting(deps, id);
  if (!d || !(await guardianMayAnswer(deps, actor, d, studentId))) return { status: "not-found" as const };
  if (d.status !== "published" || new Date(d.startsAt).getTime() <= deps.clock.now().getTime()) return { status: "closed" as const };
  await deps.meetings.MeetingQuestion.updateOne({ _id: `q-${safeKey(eventId)}` },
    { $setOnInsert: { meetingId: id, studentId, askedBy: actor.identityId, anonymous, text, at: deps.clock.now() } }, { upsert: true });
  return { status: "ok" as const };
}

export async function questions(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<MeetingQuestionView[] | undefined> {
  if (!(await organized(deps, actor, id))) return undefined;
  return named(deps, await deps.meetings.MeetingQuestion.find({ meetingId: id }).sort({ at: 1 }).lean());
}

/** A guardian's opinion on a held meeting (one document per message). */
export async function giveOpinion(deps: MeetingDeps, actor: MeetingActor, id: string, studentId: string, text: string, anonymous: boolean, eventId: string) {
  const d = await loadMeeting(deps, id);
  if (!d || !(await guardianMayAnswer(deps, actor, d, studentId))) return { status: "not-found" as const };
  if (d.status !== "held") return { status: "closed" as const };
  await deps.meetings.MeetingOpinion.updateOne({ _id: `o-${safeKey(eventId)}` },
    { $setOnInsert: { meetingId: id, studentId, givenBy: actor.identityId, anonymous, text, at: deps.clock.now() } }, { upsert: true });
  return { status: "ok" as const };
}

export async function opinions(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<MeetingQuestionView[] | undefined> {
  if (!(await organized(deps, actor, id))) return undefined;
  return named(deps, await deps.meetings.MeetingOpinion.find({ meetingId: id }).sort({ at: 1, _id: 1 }).lean());
}

/** Tally (with attendance), questions and opinions as CSV (UTF-8 with BOM so Excel shows Vietnamese). */
export async function exportCsv(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<string | undefined> {
  const [t, qs, os, sheet] = await Promise.all([tally(deps, actor, id), questions(deps, actor, id), opinions(deps, actor, id), attendanceSheet(deps, actor, id)]);
  if (!t || !qs || !os || !sheet) return undefined;
  const rows: string[][] = [["section", "student", "answer", "reason_or_question", "at"]];
  for (const r of t.rows) rows.push(["rsvp", r.studentName, r.answer, r.reason, ""]);
  for (const s of sheet.students) if (s.present !== undefined) rows.push(["attendance", s.studentName, s.present ? "present" : "absent", "", ""]);
  for (const q of qs) rows.push(["question", q.studentName, "", q.text, q.at.toISOString()]);
  for (const o of os) rows.push(["opinion", o.studentName, "", o.text, o.at.toISOString()]);
  return "\uFEFF" + stringify(rows);
}

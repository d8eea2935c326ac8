/**
 * The reminder ladder of published meetings: planning (which rungs, when), the reminder run
 * (a delayed job per rung and version), the reconciler that rebuilds the jobs from MongoDB
 * after Redis lost them, and which households a reminder did not reach (for the report).
 */
import { planReminders, reminderTimes, type PlannedReminder } from "../../domain/meeting-reminders.js";
import { say } from "../../engine/say.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { groupStatuses, SUPERSEDED, type DeliveryReportRow } from "../../store/deliveries.js";
import { guardianIdsOf, type Household } from "../../store/audience.js";
import { audit, householdsOfMeeting, ladderOf, loadMeeting, enqueueFor, viewOf, zoneOf, type MeetingDeps, type MeetingDoc } from "./deps.js";
import { perGuardian } from "./messages.js";
import { meetingArgs } from "./port.js";
import { latestAnswers } from "./rsvp.js";
import { fenceFanOut } from "./transition.js";

/** The rungs still ahead for a meeting starting at `startsAt` (the school's ladder and nightly window). */
export async function planFor(deps: MeetingDeps, d: Pick<MeetingDoc, "schoolId" | "startsAt">): Promise<PlannedReminder[]> {
  const [ladder, quiet, zone] = await Promise.all([ladderOf(deps, d.schoolId), schoolQuietHours(deps.models, d.schoolId), zoneOf(deps, d.schoolId)]);
  return planReminders(new Date(d.startsAt), deps.clock.now(), ladder, quiet, zone);
}

/** The outbox group of a version's reminders. */
const reminderGroup = (meetingId: string, version: number) => `mrem-${meetingId}-v${version}`;
/** One guardian's reminder of rung `offset` (deduplicated across their pupils). */
const reminderKey = (group: string, offset: string, identityId: string) => `${group}-${offset}-${identityId}`;
/** The audit fact of a rung that was queued. */
const reminderAuditId = (meetingId: string, version: number, offset: string) => `${meetingId}-rem-v${version}-${offset}`;

/** Runs one reminder job: nothing unless the meeting is still published at this version. */
export async function runReminder(deps: MeetingDeps, job: { meetingId: string; version: number; offset: string }): Promise<"sent" | "skipped"> {
  const { meetingId, version, offset } = job;
  const d = await loadMeeting(deps, meetingId);
  if (!d || d.status !== "published" || d.version !== version) return "skipped";
  const answers = await latestAnswers(deps, meetingId);
  const hs = (await householdsOfMeeting(deps, d)).filter((h) => answers.get(h.studentId)?.answer !== "no");
  const group = reminderGroup(meetingId, version);
  await enqueueFor(deps, d.schoolId, group, perGuardian(hs, (i) => reminderKey(group, offset, i), [say("meeting-reminder", meetingArgs(await viewOf(deps, d)))]));
  // A reschedule or cancel that landed meanwhile: stop what was just queued.
  if (!(await fenceFanOut(deps, meetingId, version, [group]))) return "skipped";
  await audit(deps, meetingId, "system", "reminder-sent", { version, offset }, reminderAuditId(meetingId, version, offset));
  return "sent";
}

/**
 * How long after its time a rung that left no trace (no delivery, no audit) counts as not sent:
 * its job retries for about two minutes (src/jobs/meeting-reminders.ts) and is then left failed.
 */
export const REMINDER_GRACE_MS = 15 * 60_000;

/** A delivery that will never arrive: failed (not superseded by a change of the meeting) or unreachable. */
const failedForGood = (x: DeliveryReportRow) => x.status === "unreachable" || (x.status === "failed" && x.error !== SUPERSEDED);

/**
 * The pupils (households) whom the last reminder due to them did not reach, for the organizer's
 * report: a reminder that failed is not sent again (a reminder after its time confuses), so the
 * organizer is told instead. Read from facts only, at the meeting's current version while it is
 * published, rung by rung in time order:
 * - a rung that was queued: the deliveries to the household's guardians all ended failed (not
 *   superseded) or unreachable → missed; one arrived → reached (it makes up for an earlier rung);
 * - a rung past its time by `REMINDER_GRACE_MS` that left no delivery and no audit (its job
 *   failed for good, or Redis lost it after its time): every household it would have reminded
 *   (a reachable guardian, not declined) missed it.
 * Households that declined (`declined`) are left out: reminders skip them.
 */
export async function remindersMissed(deps: MeetingDeps, d: MeetingDoc, households: Household[], declined: (studentId: string) => boolean): Promise<Set<string>> {
  const missed = new Set<string>();
  if (d.status !== "published" || (d.plannedOffsets ?? []).length === 0) return missed;
  const planned = new Set(d.plannedOffsets);
  const [ladder, zone] = await Promise.all([ladderOf(deps, d.schoolId), zoneOf(deps, d.schoolId)]);
  const now = deps.clock.now().getTime();
  const due = reminderTimes(new Date(d.startsAt), ladder, zone).filter((r) => planned.has(r.offset) && r.at.getTime() <= now);
  if (due.length === 0) return missed;
  const group = reminderGroup(d._id, d.version);
  const [deliveries, audits, guardians] = await Promise.all([
    groupStatuses(deps.models, group),
    deps.meetings.MeetingAudit.find({ _id: { $in: due.map((r) => reminderAuditId(d._id, d.version, r.offset)) } }).select({ _id: 1 }).lean(),
    guardianIdsOf(deps.models, households.map((h) => h.studentId)),
  ]);
  const audited = new Set(audits.map((a) => String(a._id)));
  const ids = [...deliveries.keys()];
  for (const r of due) {
    const queued = audited.has(reminderAuditId(d._id, d.version, r.offset)) || ids.some((id) => id.startsWith(`${group}-${r.offset}-`));
    const lost = !queued && r.at.getTime() + REMINDER_GRACE_MS <= now;
    for (const h of households) {
      if (declined(h.studentId)) continue;
      const rows = (guardians.get(h.studentId) ?? []).flatMap((g) => deliveries.get(reminderKey(group, r.offset, g)) ?? []);
      if (rows.some((x) => x.status === "sent")) missed.delete(h.studentId);
      else if ((rows.length > 0 && rows.every(failedForGood)) || (lost && h.guardians.length > 0)) missed.add(h.studentId);
    }
  }
  return missed;
}

/**
 * Rebuilds the reminder jobs of every upcoming published meeting from MongoDB: the rungs the
 * meeting planned (`plannedOffsets`) that are still ahead, at its current version. Job ids are
 * deterministic, so a job still in Redis is left alone and a reminder never fires twice.
 * Returns how many jobs it (re)scheduled.
 */
export async function reconcileReminders(deps: MeetingDeps): Promise<number> {
  const docs = (await deps.meetings.Meeting.find({ status: "published", startsAt: { $gt: deps.clock.now() } }).lean()) as MeetingDoc[];
  let n = 0;
  for (const d of docs) {
    const planned = new Set(d.plannedOffsets ?? []);
    const plan = (await planFor(deps, d)).filter((p) => planned.has(p.offset));
    await deps.scheduler.schedule(d._id, d.version, plan);
    n += plan.length;
  }
  return n;
}

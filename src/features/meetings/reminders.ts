/**
 * The reminder ladder of published meetings: planning (which rungs, when), the reminder run
 * (a delayed job per rung and version), and the reconciler that rebuilds the jobs from MongoDB
 * after Redis lost them.
 */
import { planReminders, type PlannedReminder } from "../../domain/meeting-reminders.js";
import { say } from "../../engine/say.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
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

/** Runs one reminder job: nothing unless the meeting is still published at this version. */
export async function runReminder(deps: MeetingDeps, job: { meetingId: string; version: number; offset: string }): Promise<"sent" | "skipped"> {
  const { meetingId, version, offset } = job;
  const d = await loadMeeting(deps, meetingId);
  if (!d || d.status !== "published" || d.version !== version) return "skipped";
  const answers = await latestAnswers(deps, meetingId);
  const hs = (await householdsOfMeeting(deps, d)).filter((h) => answers.get(h.studentId)?.answer !== "no");
  const group = `mrem-${meetingId}-v${version}`;
  await enqueueFor(deps, d.schoolId, group, perGuardian(hs, (i) => `${group}-${offset}-${i}`, [say("meeting-reminder", meetingArgs(await viewOf(deps, d)))]));
  // A reschedule or cancel that landed meanwhile: stop what was just queued.
  if (!(await fenceFanOut(deps, meetingId, version, [group]))) return "skipped";
  await audit(deps, meetingId, "system", "reminder-sent", { version, offset }, `${meetingId}-rem-v${version}-${offset}`);
  return "sent";
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

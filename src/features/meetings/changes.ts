/**
 * The organizer's changes to a meeting: reschedule, cancel, mark held (with attendance and the
 * minutes), and the daily nudge. Each status change is decided once (transition.ts) and, once
 * won, stops what the old version had queued — reminder jobs and invitations, nudges and
 * reminders still held for the night — before the households are told.
 */
import { say } from "../../engine/say.js";
import { localParts } from "../../domain/time.js";
import { isDuplicateKey } from "../../store/models.js";
import {
  ACTIVE, audit, householdsOfMeeting, enqueueFor, nightHold, organized, viewOf, zoneOf, type MeetingDeps, type MeetingDoc,
} from "./deps.js";
import { invitationItems, minutesItems, perGuardian, reachedCount, rescheduleItems } from "./messages.js";
import { meetingArgs, type AttendanceInput, type ChangeResult, type MeetingActor, type MeetingStatus, type NudgeResult } from "./port.js";
import { planFor } from "./reminders.js";
import { latestAnswers } from "./rsvp.js";
import { askBoard } from "./publish.js";
import { decideChange, dropQueued, fenceFanOut, onLatest, type Attempt } from "./transition.js";

/** Runs `attempt` on the organizer's meeting at its latest version. */
const asOrganizer = (deps: MeetingDeps, actor: MeetingActor, id: string, attempt: Attempt<ChangeResult>) =>
  onLatest<ChangeResult>(deps, id, async (d) => ((await organized(deps, actor, d._id)) ? attempt(d) : { status: "not-found" }), { status: "not-found" });

const closed = async (deps: MeetingDeps, d: MeetingDoc): Promise<ChangeResult> => ({ status: "closed", meeting: await viewOf(deps, d) });

/** Moves the meeting to `startsAt`: a pending draft goes back to the board, a published one gets new reminders and a notice to every household. */
export function reschedule(deps: MeetingDeps, actor: MeetingActor, id: string, startsAt: Date): Promise<ChangeResult> {
  return asOrganizer(deps, actor, id, async (d) => {
    if (!ACTIVE.includes(d.status as MeetingStatus)) return closed(deps, d);
    // Already at that time (a repeated press, or another attempt of the same change won): nothing to do.
    if (new Date(d.startsAt).getTime() === startsAt.getTime()) return { status: "ok", meeting: await viewOf(deps, d), households: 0 };
    const published = d.status === "published";
    const plannedOffsets = published ? (await planFor(deps, { ...d, startsAt })).map((p) => p.offset) : [];
    const r = await decideChange(deps, d, "rescheduled", actor.identityId, { startsAt, plannedOffsets, ...(d.status === "pending-board" ? { boardRound: d.boardRound + 1 } : {}) });
    if (!r.won) return "lost";
    await audit(deps, id, actor.identityId, "rescheduled", { from: new Date(d.startsAt).toISOString(), to: startsAt.toISOString(), version: r.meeting.version });
    if (d.status === "pending-board") {
      const sent = await askBoard(deps, r.meeting, actor.identityId);
      return { status: "ok", meeting: "meeting" in sent ? sent.meeting : await viewOf(deps, r.meeting), households: 0 };
    }
    const v = await viewOf(deps, r.meeting);
    if (!published) return { status: "ok", meeting: v, households: 0 };
    await dropQueued(deps, d);
    await deps.scheduler.schedule(id, r.meeting.version, (await planFor(deps, r.meeting)).filter((p) => plannedOffsets.includes(p.offset)));
    // At once, with the RSVP buttons again: answers given before are kept (the notice says which) and may be changed.
    const hs = await householdsOfMeeting(deps, r.meeting);
    const answers = new Map([...(await latestAnswers(deps, id))].map(([s, a]) => [s, a.answer]));
    await enqueueFor(deps, d.schoolId, `mchg-${id}-v${r.meeting.version}`, rescheduleItems(v, new Date(d.startsAt), hs, answers));
    return { status: "ok", meeting: v, households: reachedCount(hs) };
  });
}

/** Cancels the meeting; households of a published one are told at once, and nothing queued about it goes out. */
export function cancel(deps: MeetingDeps, actor: MeetingActor, id: string, reason: string): Promise<ChangeResult> {
  return asOrganizer(deps, actor, id, async (d) => {
    if (!ACTIVE.includes(d.status as MeetingStatus)) return closed(deps, d);
    const r = await decideChange(deps, d, "cancelled", actor.identityId, { status: "cancelled" });
    if (!r.won) return "lost";
    await audit(deps, id, actor.identityId, "cancelled", { reason });
    const v = await viewOf(deps, r.meeting);
    if (d.status !== "published") return { status: "ok", meeting: v, households: 0 };
    await dropQueued(deps, d);
    const hs = await householdsOfMeeting(deps, d);
    await enqueueFor(deps, d.schoolId, `mcan-${id}`, perGuardian(hs, (i) => `mcan-${id}-${i}`, [say("meeting-cancelled", { ...meetingArgs(v), reason })]));
    return { status: "ok", meeting: v, households: reachedCount(hs) };
  });
}

/** One attendance fact per pupil of the meeting (ids that are not the meeting's pupils are ignored); returns how many were absent. */
async function recordAttendance(deps: MeetingDeps, id: string, studentIds: string[], attendance: AttendanceInput, by: string): Promise<number> {
  const absent = new Set(attendance.absent);
  for (const studentId of studentIds)
    await deps.meetings.MeetingAttendance.updateOne({ _id: `${id}-${studentId}` },
      { $set: { meetingId: id, studentId, present: !absent.has(studentId), recordedBy: by, at: deps.clock.now() } }, { upsert: true });
  return studentIds.filter((s) => absent.has(s)).length;
}

/** Marks the meeting held, records attendance when given, and sends the minutes with an opinion button. */
export function markHeld(deps: MeetingDeps, actor: MeetingActor, id: string, minutes: string, attendance?: AttendanceInput): Promise<ChangeResult> {
  return asOrganizer(deps, actor, id, async (d) => {
    if (d.status !== "published") return closed(deps, d);
    const r = await decideChange(deps, d, "held", actor.identityId, { status: "held", minutes });
    if (!r.won) return "lost";
    const hs = await householdsOfMeeting(deps, d);
    const absent = attendance ? await recordAttendance(deps, id, hs.map((h) => h.studentId), attendance, actor.identityId) : 0;
    await audit(deps, id, actor.identityId, "held", { minutesLength: minutes.length, ...(attendance ? { present: hs.length - absent, absent } : {}) });
    await dropQueued(deps, d);
    const v = await viewOf(deps, r.meeting);
    await enqueueFor(deps, d.schoolId, `mmin-${id}`, minutesItems(v, minutes, hs, await nightHold(deps, d.schoolId)));
    return { status: "ok", meeting: v, households: reachedCount(hs) };
  });
}

/** Reminds households without an answer; at most once per local day per meeting (a unique fact). */
export async function nudge(deps: MeetingDeps, actor: MeetingActor, id: string): Promise<NudgeResult> {
  const d = await organized(deps, actor, id);
  if (!d) return { status: "not-found" };
  if (d.status !== "published" || new Date(d.startsAt).getTime() <= deps.clock.now().getTime()) return { status: "closed" };
  const p = localParts(deps.clock.now(), await zoneOf(deps, d.schoolId));
  const day = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  try {
    await deps.meetings.MeetingNudge.create({ _id: `${id}-${day}`, meetingId: id, by: actor.identityId, at: deps.clock.now() });
  } catch (err) {
    if (isDuplicateKey(err)) return { status: "already-today" };
    throw err;
  }
  const answered = await latestAnswers(deps, id);
  const silent = (await householdsOfMeeting(deps, d)).filter((h) => !answered.has(h.studentId));
  await audit(deps, id, actor.identityId, "nudged", { day, households: silent.length });
  const group = `mnud-${id}-${day}`;
  await enqueueFor(deps, d.schoolId, group, invitationItems(await viewOf(deps, d), silent, group, "meeting-nudge", await nightHold(deps, d.schoolId)));
  await fenceFanOut(deps, id, d.version, [group]); // cancelled or moved meanwhile: the held nudges never go
  return { status: "sent", households: reachedCount(silent) };
}

/**
 * The meetings feature: `meetingsPort(deps)` assembles the port the flows call from the use
 * cases of this folder, plus the reminder run and the reconciler for the jobs layer.
 *
 * @example
 * const meetings = meetingsPort({ models, meetings: registerMeetingModels(conn), outbox, scheduler, clock });
 * await meetings.rsvp(actor, "m1a2b3c4", studentId, "yes", "", event.id);
 */
import type { MeetingDeps } from "./deps.js";
import type { MeetingsPort } from "./port.js";
import { boardDecision, createMeeting, resubmit } from "./publish.js";
import { cancel, markHeld, nudge, reschedule } from "./changes.js";
import { rsvp, rsvpAll, rsvpReason } from "./rsvp.js";
import { ask, attendanceSheet, exportCsv, giveOpinion, listForGuardian, listOrganized, opinions, questions, tally } from "./views.js";
import { signPetition, startPetition } from "./petition.js";
import { reconcileReminders, runReminder } from "./reminders.js";

export type { MeetingDeps } from "./deps.js";
export { meetingIdFor } from "./publish.js";
export { meetingEraser } from "./eraser.js";

export type MeetingsFeature = MeetingsPort & {
  runReminder(job: { meetingId: string; version: number; offset: string }): Promise<"sent" | "skipped">;
  reconcile(): Promise<number>;
};

/** The meetings port over `deps`. */
export function meetingsPort(deps: MeetingDeps): MeetingsFeature {
  return {
    create: (actor, draft, eventId) => createMeeting(deps, actor, draft, eventId),
    boardDecision: (actor, id, round, decision, comment) => boardDecision(deps, actor, id, round, decision, comment),
    resubmit: (actor, id, changes) => resubmit(deps, actor, id, changes),
    listOrganized: (actor) => listOrganized(deps, actor),
    listForGuardian: (actor) => listForGuardian(deps, actor),
    rsvp: (actor, id, studentId, answer, reason, eventId) => rsvp(deps, actor, id, studentId, answer, reason, eventId),
    rsvpAll: (actor, id, children, answer, eventId) => rsvpAll(deps, actor, id, children, answer, eventId),
    rsvpReason: (actor, id, studentId, seq, reason) => rsvpReason(deps, actor, id, studentId, seq, reason),
    tally: (actor, id) => tally(deps, actor, id),
    nudge: (actor, id) => nudge(deps, actor, id),
    reschedule: (actor, id, startsAt) => reschedule(deps, actor, id, startsAt),
    cancel: (actor, id, reason) => cancel(deps, actor, id, reason),
    markHeld: (actor, id, minutes, attendance) => markHeld(deps, actor, id, minutes, attendance),
    attendanceSheet: (actor, id) => attendanceSheet(deps, actor, id),
    giveOpinion: (actor, id, studentId, text, anonymous, eventId) => giveOpinion(deps, actor, id, studentId, text, anonymous, eventId),
    opinions: (actor, id) => opinions(deps, actor, id),
    ask: (actor, id, studentId, text, anonymous, eventId) => ask(deps, actor, id, studentId, text, anonymous, eventId),
    questions: (actor, id) => questions(deps, actor, id),
    startPetition: (actor, studentId, reason, eventId) => startPetition(deps, actor, studentId, reason, eventId),
    signPetition: (actor, petitionId, studentId) => signPetition(deps, actor, petitionId, studentId),
    exportCsv: (actor, id) => exportCsv(deps, actor, id),
    runReminder: (job) => runReminder(deps, job),
    reconcile: () => reconcileReminders(deps),
  };
}

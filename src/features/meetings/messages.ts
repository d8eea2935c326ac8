/**
 * Message builders of the meetings feature: outbox items for invitations, nudges, reminders,
 * changes and minutes, and the buttons under them. Pure: they take households and views.
 */
import type { OutboxItem } from "../../engine/ports.js";
import type { Address } from "../../engine/messages.js";
import { dateArg, say, type Say, type SayButton } from "../../engine/say.js";
import type { Household } from "../../store/audience.js";
import { meetingArgs, opinionPayload, rsvpPayload, type MeetingView, type RsvpAnswer } from "./port.js";

/** The three RSVP buttons for one student. */
export function rsvpButtons(meetingId: string, studentId: string): SayButton[][] {
  return [
    [{ key: "meeting-rsvp-yes", payload: rsvpPayload(meetingId, studentId, "yes") }],
    [{ key: "meeting-rsvp-no", payload: rsvpPayload(meetingId, studentId, "no") }],
    [{ key: "meeting-rsvp-other", payload: rsvpPayload(meetingId, studentId, "other") }],
  ];
}

/** Households with at least one reachable guardian. */
export const reachedCount = (hs: Household[]) => hs.filter((h) => h.guardians.length > 0).length;

/** One invitation (or nudge) per (pupil, guardian), with the RSVP buttons. */
export function invitationItems(v: MeetingView, hs: Household[], keyPrefix: string, messageKey: "meeting-invite" | "meeting-nudge", when: { notBefore?: Date }): OutboxItem[] {
  return hs.flatMap((h) => h.guardians.map((g) => ({
    key: `${keyPrefix}-${h.studentId}-${g.identityId}`, recipient: g.address, ...when,
    messages: [say(messageKey, { ...meetingArgs(v), student: h.studentName }, rsvpButtons(v.id, h.studentId))],
  })));
}

/** One message per guardian (deduplicated across their pupils): reminders, cancellations. */
export function perGuardian(hs: Household[], keyOf: (identityId: string) => string, messages: Say[]): OutboxItem[] {
  const seen = new Map<string, Address>();
  for (const h of hs) for (const g of h.guardians) seen.set(g.identityId, g.address);
  return [...seen].map(([identityId, recipient]) => ({ key: keyOf(identityId), recipient, messages }));
}

/** The reschedule notice per (pupil, guardian), with the household's answer so far and the RSVP buttons again. */
export function rescheduleItems(v: MeetingView, old: Date, hs: Household[], answers: Map<string, RsvpAnswer>): OutboxItem[] {
  return hs.flatMap((h) => h.guardians.map((g) => ({
    key: `mchg-${v.id}-v${v.version}-${h.studentId}-${g.identityId}`, recipient: g.address,
    messages: [say("meeting-rescheduled", { ...meetingArgs(v), old: dateArg(old), student: h.studentName, answer: answers.get(h.studentId) ?? "none" }, rsvpButtons(v.id, h.studentId))],
  })));
}

/** The minutes per guardian, with an opinion button per pupil of theirs in scope. */
export function minutesItems(v: MeetingView, minutes: string, hs: Household[], when: { notBefore?: Date }): OutboxItem[] {
  const byGuardian = new Map<string, { address: Address; students: { studentId: string; studentName: string }[] }>();
  for (const h of hs)
    for (const g of h.guardians) {
      const entry = byGuardian.get(g.identityId) ?? { address: g.address, students: [] };
      entry.students.push({ studentId: h.studentId, studentName: h.studentName });
      byGuardian.set(g.identityId, entry);
    }
  return [...byGuardian].map(([identityId, g]) => ({
    key: `mmin-${v.id}-${identityId}`, recipient: g.address, ...when,
    messages: [say("meeting-minutes", { ...meetingArgs(v), minutes },
      g.students.map((st) => [{ key: "meeting-opinion-button" as const, args: { student: st.studentName }, payload: opinionPayload(v.id, st.studentId) }]))],
  }));
}

/** The board head's request for agreement on round `round`. */
export function boardRequest(v: MeetingView, round: number): Say {
  return say("meeting-board-request", meetingArgs(v), [[
    { key: "meeting-board-agree", payload: `mb-${v.id}-${round}-a` },
    { key: "meeting-board-revise", payload: `mb-${v.id}-${round}-r` },
  ]]);
}

/** The petition invitation to a household of the class. */
export function petitionInviteItems(petitionId: string, reason: string, hs: Household[], when: { notBefore?: Date }): OutboxItem[] {
  return hs.flatMap((h) => h.guardians.map((g) => ({
    key: `mpi-${petitionId}-${h.studentId}-${g.identityId}`, recipient: g.address, ...when,
    messages: [say("meeting-petition-invite", { reason, student: h.studentName }, [[{ key: "meeting-petition-sign", payload: `mp-${petitionId}-${h.studentId}` }]])],
  })));
}

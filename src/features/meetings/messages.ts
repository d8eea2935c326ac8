/**
 * Message builders of the meetings feature: outbox items for invitations, nudges, reminders,
 * changes, minutes and petitions, and the buttons under them. Pure: they take households and
 * views. Every message to families goes once per guardian (issue 12): a guardian of several
 * pupils in scope gets one message naming them all, with the buttons of each child.
 */
import type { OutboxItem } from "../../engine/ports.js";
import type { Address } from "../../engine/messages.js";
import { dateArg, linesArg, say, type Say, type SayButton } from "../../engine/say.js";
import { givenName } from "../../domain/address.js";
import type { Household } from "../../store/audience.js";
import { meetingArgs, opinionPayload, rsvpAllPayload, rsvpPayload, type MeetingView, type RsvpAnswer } from "./port.js";

/** The three RSVP buttons for one student. */
export function rsvpButtons(meetingId: string, studentId: string): SayButton[][] {
  return [
    [{ key: "meeting-rsvp-yes", payload: rsvpPayload(meetingId, studentId, "yes") }],
    [{ key: "meeting-rsvp-no", payload: rsvpPayload(meetingId, studentId, "no") }],
    [{ key: "meeting-rsvp-other", payload: rsvpPayload(meetingId, studentId, "other") }],
  ];
}

export interface Child {
  studentId: string;
  studentName: string;
}

/** The guardian's children in scope, and where to reach them. */
export interface GuardianChildren {
  address: Address;
  children: Child[];
}

/** Households regrouped per guardian (in household order): one message per guardian, naming each of their children. */
export function byGuardian(hs: readonly Household[]): Map<string, GuardianChildren> {
  const out = new Map<string, GuardianChildren>();
  for (const h of hs)
    for (const g of h.guardians) {
      const entry = out.get(g.identityId) ?? { address: g.address, children: [] };
      entry.children.push({ studentId: h.studentId, studentName: h.studentName });
      out.set(g.identityId, entry);
    }
  return out;
}

/**
 * The outbox key of a group's message to one guardian: one per guardian whatever their number
 * of children, so a re-run of the same publication, nudge or reschedule gives the same keys
 * (and a guardian is never sent the group's message twice).
 */
export const guardianKey = (group: string, identityId: string) => `${group}-g-${identityId}`;

/** How a button names each child: the given name ("An"), or the full name when two children share it. */
export function buttonNames(children: readonly Child[]): string[] {
  const given = children.map((c) => givenName(c.studentName));
  return children.map((c, i) => (given.filter((n) => n === given[i]).length > 1 ? c.studentName : given[i]!));
}

/**
 * The RSVP buttons of a guardian's message: as for one student; for several, first *Cả N con:
 * tham dự* (the common answer in one press, recorded per pupil), then three per child, each
 * naming the child.
 */
export function rsvpButtonsFor(meetingId: string, children: readonly Child[]): SayButton[][] {
  if (children.length === 1) return rsvpButtons(meetingId, children[0]!.studentId);
  const names = buttonNames(children);
  return [
    [{ key: "meeting-rsvp-yes-all", args: { count: children.length }, payload: rsvpAllPayload(meetingId, children.map((c) => c.studentId)) }],
    ...children.flatMap((c, i) => (["yes", "no", "other"] as const).map((a) => [
      { key: `meeting-rsvp-${a}-for` as const, args: { student: names[i]! }, payload: rsvpPayload(meetingId, c.studentId, a) },
    ])),
  ];
}

/** "Nguyễn Văn An, Trần Thị Bình". */
const namesOf = (children: readonly Child[]) => children.map((c) => c.studentName).join(", ");

/** Households with at least one reachable guardian. */
export const reachedCount = (hs: Household[]) => hs.filter((h) => h.guardians.length > 0).length;

/**
 * One invitation (or nudge) per guardian, with the RSVP buttons: a guardian of one child gets
 * the message naming that child; a guardian of several, one message naming them all, with
 * RSVP buttons per child (each answer is still recorded per pupil).
 */
export function invitationItems(v: MeetingView, hs: Household[], keyPrefix: string, messageKey: "meeting-invite" | "meeting-nudge", when: { notBefore?: Date }): OutboxItem[] {
  return [...byGuardian(hs)].map(([identityId, g]) => ({
    key: guardianKey(keyPrefix, identityId), recipient: g.address, ...when,
    messages: [g.children.length === 1
      ? say(messageKey, { ...meetingArgs(v), student: g.children[0]!.studentName }, rsvpButtonsFor(v.id, g.children))
      : say(`${messageKey}-children`, { ...meetingArgs(v), students: namesOf(g.children) }, rsvpButtonsFor(v.id, g.children))],
  }));
}

/** One message per guardian (deduplicated across their pupils): reminders, cancellations. */
export function perGuardian(hs: Household[], keyOf: (identityId: string) => string, messages: Say[]): OutboxItem[] {
  return [...byGuardian(hs)].map(([identityId, g]) => ({ key: keyOf(identityId), recipient: g.address, messages }));
}

/** The reschedule notice per guardian, with each child's answer so far and the RSVP buttons again. */
export function rescheduleItems(v: MeetingView, old: Date, hs: Household[], answers: Map<string, RsvpAnswer>): OutboxItem[] {
  const answerOf = (c: Child) => answers.get(c.studentId) ?? "none";
  return [...byGuardian(hs)].map(([identityId, g]) => ({
    key: guardianKey(`mchg-${v.id}-v${v.version}`, identityId), recipient: g.address,
    messages: [g.children.length === 1
      ? say("meeting-rescheduled", { ...meetingArgs(v), old: dateArg(old), student: g.children[0]!.studentName, answer: answerOf(g.children[0]!) }, rsvpButtonsFor(v.id, g.children))
      : say("meeting-rescheduled-children", {
        ...meetingArgs(v), old: dateArg(old), students: namesOf(g.children),
        answered: g.children.some((c) => answerOf(c) !== "none") ? "some" : "none",
        answers: linesArg(g.children.map((c) => ({ key: "meeting-child-answer", args: { student: c.studentName, answer: answerOf(c) } }))),
      }, rsvpButtonsFor(v.id, g.children))],
  }));
}

/** The minutes per guardian, with an opinion button per pupil of theirs in scope. */
export function minutesItems(v: MeetingView, minutes: string, hs: Household[], when: { notBefore?: Date }): OutboxItem[] {
  return [...byGuardian(hs)].map(([identityId, g]) => ({
    key: `mmin-${v.id}-${identityId}`, recipient: g.address, ...when,
    messages: [say("meeting-minutes", { ...meetingArgs(v), minutes },
      g.children.map((st) => [{ key: "meeting-opinion-button" as const, args: { student: st.studentName }, payload: opinionPayload(v.id, st.studentId) }]))],
  }));
}

/** The board head's request for agreement on round `round`. */
export function boardRequest(v: MeetingView, round: number): Say {
  return say("meeting-board-request", meetingArgs(v), [[
    { key: "meeting-board-agree", payload: `mb-${v.id}-${round}-a` },
    { key: "meeting-board-revise", payload: `mb-${v.id}-${round}-r` },
  ]]);
}

/**
 * The petition invitation, one per guardian: the signature is per pupil (each pupil is one of
 * the class's households), so a guardian of several pupils of the class gets a sign button per child.
 */
export function petitionInviteItems(petitionId: string, reason: string, hs: Household[], when: { notBefore?: Date }): OutboxItem[] {
  return [...byGuardian(hs)].map(([identityId, g]) => {
    const names = buttonNames(g.children);
    return {
      key: guardianKey(`mpi-${petitionId}`, identityId), recipient: g.address, ...when,
      messages: [g.children.length === 1
        ? say("meeting-petition-invite", { reason, student: g.children[0]!.studentName }, [[{ key: "meeting-petition-sign", payload: petitionSignPayload(petitionId, g.children[0]!.studentId) }]])
        : say("meeting-petition-invite-children", { reason, students: namesOf(g.children) },
          g.children.map((c, i) => [{ key: "meeting-petition-sign-for" as const, args: { student: names[i]! }, payload: petitionSignPayload(petitionId, c.studentId) }]))],
    };
  });
}

/** The sign button under a petition invitation: "mp-<petition>-<student>". */
export const petitionSignPayload = (petitionId: string, studentId: string) => `mp-${petitionId}-${studentId}`;

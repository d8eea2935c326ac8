/** Helpers shared by the meeting flows: the actor, date answers, kind choices. */
import { go, reprompt, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import { MEETING_KINDS, type MeetingActor } from "../src/features/meetings/port.js";
import { parseMeetingTime, type MeetingTimeError } from "../src/domain/meeting-time.js";
import type { MessageKey } from "../src/i18n/keys.js";

/** The acting person, or undefined before linking. */
export function actorOf(ctx: Omit<FlowContext, "data">): MeetingActor | undefined {
  return ctx.person.identityId ? { identityId: ctx.person.identityId, roles: ctx.person.roles } : undefined;
}

/** True for people who organize meetings (homeroom teachers, principals). */
export function isOrganizer(ctx: Omit<FlowContext, "data">): boolean {
  return ctx.person.roles.staff.some((s) => s.role === "homeroom-teacher" || s.role === "principal" || s.role === "vice-principal");
}

const WHEN_ERRORS: Record<string, MessageKey> = {
  past: "meeting-when-past",
  "impossible-date": "meeting-when-impossible-date",
  "impossible-time": "meeting-when-impossible-time",
  "no-date": "meeting-when-no-date",
  "no-time": "meeting-when-no-time",
  unrecognized: "meeting-when-unrecognized",
};

/** What a step answered with a meeting time sees: its data, the time now, and the person's school's time zone. */
type WhenContext<D> = { data: D; now: Date; person: { timeZone?: string } };

/**
 * Reads a typed date/time (in the school's time zone) and goes to `step` (the confirmation «Đúng
 * | Nhập lại») with `at` set; when the text is not a meeting time (unreadable, impossible, past),
 * gives `notATime(error)` instead. `readWhen` and `retypedWhen` are this one reading.
 */
function readTime<S extends string, D extends { at?: string }, R>(text: string, ctx: WhenContext<D>, step: S, notATime: (error: MeetingTimeError) => R): Transition<S> | R {
  const r = parseMeetingTime(text, ctx.now, ctx.person.timeZone);
  return r.ok ? go(step, { ...ctx.data, at: r.at.toISOString() }) : notATime(r.error);
}

/** The meeting time typed at its question; a bad one re-prompts saying what is wrong, with an example. */
export const readWhen = <S extends string, D extends { at?: string }>(text: string, ctx: WhenContext<D>, step: S): Transition<S> =>
  readTime(text, ctx, step, (error): Transition<S> => reprompt(say(WHEN_ERRORS[error]!)));

export const kindChoices: Choice[] = MEETING_KINDS.map((k) => ({ id: k, label: { key: "meeting-kind-choice", args: { kind: k } } }));

export const yesNo = (yes: MessageKey, no: MessageKey): Choice[] => [
  { id: "yes", label: { key: yes }, aliases: ["co", "dung", "ok", "yes", "dong y"] },
  { id: "no", label: { key: no }, aliases: ["khong", "ko", "no", "sua"] },
];

/** «Đúng | Nhập lại» under a meeting time read back: "sai" (wrong) and "chưa đúng" ask again. */
export const whenChoices: Choice[] = yesNo("meeting-when-right", "meeting-when-retype")
  .map((c) => (c.id === "no" ? { ...c, aliases: [...(c.aliases ?? []), "sai", "chua dung", "wrong"] } : c));

/**
 * A corrected time typed at «Đúng | Nhập lại» instead of a choice: read it and ask again about
 * the new one (`step`, the confirmation itself); anything else (undefined) is asked again as usual.
 */
export const retypedWhen = <S extends string, D extends { at?: string }>(text: string, ctx: WhenContext<D>, step: S): Transition<S> | undefined =>
  readTime(text, ctx, step, () => undefined);

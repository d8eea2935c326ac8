/** Helpers shared by the notice flows: the actor, who may send, typed dates. */
import { reprompt, type FlowContext, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import type { NoticeActor } from "../src/features/notices/port.js";
import { parseMeetingTime } from "../src/domain/meeting-time.js";
import type { MessageKey } from "../src/i18n/keys.js";

/** The acting person, or undefined before linking. */
export function actorOf(ctx: Omit<FlowContext, "data">): NoticeActor | undefined {
  return ctx.person.identityId ? { identityId: ctx.person.identityId, roles: ctx.person.roles } : undefined;
}

/** Homeroom teachers, principals and vice-principals send notices. */
export function isSender(ctx: Omit<FlowContext, "data">): boolean {
  return ctx.person.roles.staff.some((s) => s.role === "homeroom-teacher" || s.role === "principal" || s.role === "vice-principal");
}

export function isPrincipal(ctx: Omit<FlowContext, "data">): boolean {
  return ctx.person.roles.staff.some((s) => s.role === "principal" || s.role === "vice-principal");
}

const WHEN_ERRORS: Record<string, MessageKey> = {
  "impossible-date": "notice-when-impossible-date",
  "impossible-time": "notice-when-impossible-time",
  "no-date": "notice-when-no-date",
  "no-time": "notice-when-no-time",
  unrecognized: "notice-when-unrecognized",
};

/** Parses a typed date/time (in the school's `timeZone`); a bad or past one re-prompts saying what is wrong. */
export function readWhen<S extends string>(text: string, now: Date, past: MessageKey, next: (at: Date) => Transition<S>, timeZone?: string): Transition<S> {
  const r = parseMeetingTime(text, now, timeZone);
  if (r.ok) return next(r.at);
  return reprompt(say(r.error === "past" ? past : WHEN_ERRORS[r.error]!));
}

/** Helpers shared by the poll and opinion flows: the actor, scope choices, deadline answers. */
import { reprompt, type Choice, type FlowContext, type FlowData, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import type { Json } from "../src/engine/ports.js";
import type { PollActor } from "../src/features/polls/port.js";
import { scopeKey, type OrganizerScope } from "../src/domain/poll.js";
import { parseDeadline } from "../src/domain/poll-deadline.js";
import type { MessageKey } from "../src/i18n/keys.js";

/** The acting person, or undefined before linking. */
export function actorOf(ctx: Omit<FlowContext, "data">): PollActor | undefined {
  return ctx.person.identityId ? { identityId: ctx.person.identityId, roles: ctx.person.roles } : undefined;
}

/** One choice per scope the person may organize for. */
export function scopeChoices(scopes: OrganizerScope[]): Choice[] {
  return scopes.map((s) => ({
    id: scopeKey(s),
    label: s.kind === "class" ? { key: "poll-scope-class", args: { className: s.className } } : { key: "poll-scope-school" },
  }));
}

/** A scope as conversation data (plain JSON). */
export function scopeData(s: OrganizerScope): { [key: string]: Json } {
  return { ...s };
}

/** Reads a scope back from conversation data. */
export function scopeFrom(data: FlowData): OrganizerScope {
  return data.scope as unknown as OrganizerScope;
}

const DEADLINE_ERRORS: Record<string, MessageKey> = {
  past: "poll-deadline-past",
  "impossible-date": "poll-deadline-impossible",
  "impossible-time": "poll-deadline-impossible",
  "no-date": "poll-deadline-no-date",
  unrecognized: "poll-deadline-unrecognized",
};

/** Parses a typed deadline (in the school's `timeZone`); a bad one re-prompts saying what is wrong, with an example. */
export function readDeadline<S extends string>(text: string, now: Date, next: (at: Date) => Transition<S>, timeZone?: string): Transition<S> {
  const r = parseDeadline(text, now, timeZone);
  return r.ok ? next(r.at) : reprompt(say(DEADLINE_ERRORS[r.error] ?? "poll-deadline-unrecognized"));
}

/** Shortens a question or topic for a choice button. */
export function shortLabel(text: string, max = 48): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

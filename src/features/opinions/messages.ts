/** Opinion-round messages and button payloads: the invitation, the summary at close. */
import { randomBytes } from "node:crypto";
import { dateArg, say, type Say, type SayArgs } from "../../engine/say.js";
import type { RoundSummary, RoundView } from "./port.js";

/** "Write an opinion" button under a round's invitation: "og-<round>". */
export function opinionPayload(roundId: string): string {
  return `og-${roundId}`;
}

/** The Say arguments every opinion-round message shares. */
export function roundArgs(r: RoundView): SayArgs {
  return { topic: r.topic, scope: r.scope, scopeName: r.scopeName, deadline: dateArg(r.closesAt) };
}

/** The invitation every guardian in scope gets, with its "write" button. */
export function inviteSay(r: RoundView): Say {
  return say("opinion-invite", roundArgs(r), [[{ key: "opinion-write-button", payload: opinionPayload(r.id) }]]);
}

/** The summary participants and the organizer get when the round closes. */
export function summarySay(s: RoundSummary): Say {
  return say("opinion-summary", { ...roundArgs(s.round), opinions: s.opinions, households: s.households, anonymous: s.anonymous, named: s.named });
}

/**
 * A random token naming one opinion submission. The conversation draws it before its last
 * step and keeps it in its data, so a replayed turn stores the opinion once, while nothing
 * about the opinion can be derived from the inbound message that carried it.
 */
export function newSubmissionToken(): string {
  return randomBytes(12).toString("hex");
}

/**
 * Escalation to Ban giám hiệu: by a clock (`runClock`), by the teacher (*Chuyển Ban giám hiệu*)
 * or by a third reopen. One escalation per cycle, decided as a fact; only its winner tells the
 * principal and the guardian (keys carry the fact's version, so a re-run sends once).
 */
import { say } from "../../engine/say.js";
import { isOpen, type ConcernStatus } from "../../domain/concern.js";
import { forActor, log, principals, summaryOf, yearOf, type ConcernDeps, type Ticket } from "./context.js";
import { tell, tellGuardian, ticketSays } from "./messages.js";
import { transition } from "./transition.js";
import type { Decided, TicketFact, TicketState } from "./ticket-state.js";
import type { ConcernActionResult, ConcernActor } from "./port.js";

export type EscalationReason = "first-response" | "resolution" | "teacher" | "reopen";

/** Tells Ban giám hiệu and the guardian about the escalation decided by `fact`. */
export async function announceEscalation(deps: ConcernDeps, t: Ticket, fact: TicketFact, reason: EscalationReason): Promise<void> {
  const heads = await principals(deps, t.schoolId, await yearOf(deps, t));
  const tag = `esc-v${fact.version}`;
  await tell(deps, t, tag, "staff", heads, await ticketSays(deps, t, "concern-escalated-to-principal", "principal", { reason }));
  await tellGuardian(deps, t, tag, [say("concern-escalated-guardian", { number: t.number, reason })]);
  log(deps, { concernId: t._id, reason, version: fact.version }, "concern escalated");
}

/**
 * Escalates `t` unless it is closed or already with Ban giám hiệu in this cycle, or `guard`
 * refuses; returns the ticket as it is now and whether this attempt escalated it.
 */
export async function escalateBy(deps: ConcernDeps, t: Ticket, reason: EscalationReason, actor: string,
  guard: (s: TicketState) => Decided | undefined = () => undefined, intent?: string): Promise<{ escalated: boolean; ticket: Ticket }> {
  const r = await transition(deps, t, actor, (s) => {
    if (!isOpen(s.status)) return { refuse: "closed" };
    if (s.escalatedThisCycle) return { noop: true };
    return guard(s) ?? { kind: "escalated", data: { reason } };
  }, intent);
  if (r.outcome !== "won" && r.outcome !== "repeat") return { escalated: false, ticket: r.ticket };
  await announceEscalation(deps, r.ticket, r.fact, reason);
  return { escalated: true, ticket: r.ticket };
}

/** The homeroom teacher hands the ticket to Ban giám hiệu. */
export async function escalate(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ConcernActionResult> {
  const { t } = await forActor(deps, actor, id, ["teacher"]);
  if (!t) return { status: "not-found" };
  const { ticket } = await escalateBy(deps, t, "teacher", actor.identityId);
  return { status: isOpen(ticket.status as ConcernStatus) ? "ok" : "closed", ticket: await summaryOf(deps, ticket) };
}

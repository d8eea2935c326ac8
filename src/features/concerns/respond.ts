/**
 * Answering a ticket: *Đã nhận* (acknowledge) and messages relayed between the guardian and
 * staff. The first acknowledgement or staff reply is a fact (it stops the first-response clock,
 * which competes for the same next version); the messages themselves are documents keyed by
 * the inbound event, so a redelivered update adds and relays nothing.
 */
import { say } from "../../engine/say.js";
import { givenName } from "../../domain/address.js";
import { isOpen, type ConcernStatus } from "../../domain/concern.js";
import { forActor, handlersOf, safeKey, studentAndClass, summaryOf, type ConcernDeps, type Ticket } from "./context.js";
import { tell, tellGuardian } from "./messages.js";
import { transition } from "./transition.js";
import { ticketButtons, type ConcernActionResult, type ConcernActor, type ConcernViewer } from "./port.js";

const result = async (deps: ConcernDeps, status: "ok" | "closed", t: Ticket): Promise<ConcernActionResult> => ({ status, ticket: await summaryOf(deps, t) });

/** How the guardian names the teacher who acknowledged: "Cô Lan" (title and given name). */
function namedAs(actor: ConcernActor, t: Ticket): { whoTitle: string; whoName: string } {
  const me = actor.roles.staff.find((s) => s.role === "homeroom-teacher" && s.classGroupId === t.classGroupId);
  const name = givenName(me?.staffName ?? "");
  return { whoTitle: name ? (me?.title ?? "none") : "none", whoName: name };
}

/** Staff press *Đã nhận*: the guardian is told once per ticket. */
export async function acknowledge(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ConcernActionResult> {
  const { t, viewer } = await forActor(deps, actor, id, ["teacher", "principal"]);
  if (!t) return { status: "not-found" };
  const r = await transition(deps, t, actor.identityId, (s) =>
    !isOpen(s.status) ? { refuse: "closed" } : s.firstResponseAt && s.status !== "sent" ? { noop: true } : { kind: "acknowledged" });
  if (r.outcome === "refused") return result(deps, "closed", r.ticket);
  if (r.outcome === "won" && !r.before.firstResponseAt) await tellGuardian(deps, r.ticket, `ack-c${r.state.cycle}`, [say("concern-acknowledged-guardian", { number: t.number, who: viewer, ...namedAs(actor, t) })]);
  return result(deps, "ok", r.ticket);
}

/** Stores a message once per inbound event; false when this event was stored already. */
async function storeMessage(deps: ConcernDeps, t: Ticket, viewer: ConcernViewer, authorIdentityId: string, text: string, eventId: string): Promise<boolean> {
  const r = await deps.concerns.ConcernMessage.updateOne({ _id: `${t._id}-${safeKey(eventId)}` },
    { $setOnInsert: { concernId: t._id, from: viewer, authorIdentityId, text, at: deps.clock.now() } }, { upsert: true });
  return r.upsertedCount > 0;
}

/** A message on an open ticket, relayed to the other side. */
export async function addMessage(deps: ConcernDeps, actor: ConcernActor, id: string, text: string, eventId: string): Promise<ConcernActionResult> {
  const { t, viewer } = await forActor(deps, actor, id, ["guardian", "teacher", "principal"]);
  if (!t || !viewer) return { status: "not-found" };
  if (!isOpen(t.status as ConcernStatus)) return result(deps, "closed", t);
  if (!(await storeMessage(deps, t, viewer, actor.identityId, text, eventId))) return result(deps, "ok", t);
  const { studentName, className } = await studentAndClass(deps, t);
  const tag = `msg-${safeKey(eventId)}`;
  if (viewer === "guardian") {
    const h = await handlersOf(deps, t);
    const msg = (v: ConcernViewer) => [say("concern-guardian-message-staff", { number: t.number, student: studentName, className, text }, ticketButtons(id, v, { urgent: t.urgent, status: t.status, category: t.category }))];
    await tell(deps, t, `${tag}-t`, "staff", h.teachers, msg("teacher"));
    await tell(deps, t, `${tag}-p`, "staff", h.heads, msg("principal"));
    return result(deps, "ok", t);
  }
  const r = await transition(deps, t, actor.identityId, (s) =>
    !isOpen(s.status) ? { refuse: "closed" } : s.firstResponseAt && s.status !== "sent" && s.status !== "acknowledged" ? { noop: true } : { kind: "replied" });
  if (r.outcome === "refused") return result(deps, "closed", r.ticket);
  await tellGuardian(deps, r.ticket, tag, [say("concern-staff-message-guardian", { number: t.number, student: studentName, from: viewer, text },
    ticketButtons(id, "guardian", { urgent: t.urgent, status: r.ticket.status, category: t.category }))]);
  return result(deps, "ok", r.ticket);
}

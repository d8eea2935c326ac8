/**
 * A guardian raises a concern: a ticket with a number that is never reissued, its first fact
 * (`v1 created`, with the clocks' due instants), its clocks, and the messages to whoever
 * handles it — at once for safety and bullying, after quiet hours otherwise. Idempotent on the
 * inbound event: a retried create finds the same ticket and finishes what is missing.
 */
import { routeFor } from "../../domain/concern.js";
import { ticketNumber } from "../../domain/concern.js";
import { quietEnds } from "../../domain/quiet-hours.js";
import { yearNameOfClass } from "../../store/concern-calendar.js";
import { allocateTicketNumber, insertTicket, newTicketId } from "../../store/concern-tickets.js";
import { addressesOf } from "../../store/audience.js";
import { homeroomTeachers, log, principals, settingsOf, summaryOf, type ConcernDeps, type Ticket } from "./context.js";
import { tell, ticketSays } from "./messages.js";
import { transition } from "./transition.js";
import { clockDues, handlerQuiet, scheduleClocks } from "./clocks.js";
import type { ConcernActor, CreateConcernResult, NewConcern } from "./port.js";

type Child = ConcernActor["roles"]["guardianOf"][number];

/** The ticket of this event: found (a retry) or inserted with a freshly allocated number. */
async function ticketFor(deps: ConcernDeps, actor: ConcernActor, child: Child, input: NewConcern, eventId: string): Promise<Ticket> {
  const C = deps.concerns, now = deps.clock.now();
  const existing = (await C.Concern.findOne({ eventId }).lean()) as Ticket | null;
  if (existing) return existing;
  const route = routeFor(input.category);
  const yearName = await yearNameOfClass(deps.models, child.classGroupId);
  const s = await settingsOf(deps, child.schoolId, yearName);
  const deliverAt = route.urgent ? now : quietEnds(await handlerQuiet(deps, { ...child, yearName, category: input.category }, s.calendar), now, s.calendar.timeZone);
  const _id = newTicketId();
  // A create that dies between the number and the ticket leaves a gap, never a reissued number.
  const seq = await allocateTicketNumber(deps.models, child.schoolId, _id, now);
  await insertTicket(C, {
    _id, schoolId: child.schoolId, seq, number: ticketNumber(seq), eventId, studentId: child.studentId, classGroupId: child.classGroupId, yearName,
    guardianIdentityId: actor.identityId, category: input.category, urgent: route.urgent, status: "sent", deliverAt, createdAt: now, updatedAt: now,
  });
  // A concurrent retry of the same event may have inserted first: its ticket is the one.
  return (await C.Concern.findOne({ eventId }).lean()) as Ticket;
}

export async function create(deps: ConcernDeps, actor: ConcernActor, input: NewConcern, eventId: string): Promise<CreateConcernResult> {
  const child = actor.roles.guardianOf.find((g) => g.studentId === input.studentId);
  if (!child) return { status: "forbidden" };
  const now = deps.clock.now(), route = routeFor(input.category);
  const t = await ticketFor(deps, actor, child, input, eventId);
  await deps.concerns.ConcernMessage.updateOne({ _id: `${t._id}-m0` },
    { $setOnInsert: { concernId: t._id, from: "guardian", authorIdentityId: actor.identityId, text: input.text, photoRef: input.photoRef ?? "", at: t.createdAt } }, { upsert: true });
  const teachers = route.teacher ? (await addressesOf(deps.models, await homeroomTeachers(deps, t.classGroupId))).map((p) => p.identityId) : [];
  const heads = route.principal ? (await addressesOf(deps.models, await principals(deps, t.schoolId, t.yearName ?? ""))).map((p) => p.identityId) : [];
  const dues = await clockDues(deps, t, new Date(t.createdAt));
  // Nobody to receive it on a side: it goes to whoever links first (`runAssign`).
  const r = await transition(deps, t, actor.identityId, (s) => (s.version > 0 ? { noop: true } : { kind: "created", data: {
    firstResponseDueAt: dues.firstResponseDueAt.toISOString(), resolutionDueAt: dues.resolutionDueAt.toISOString(),
    awaitsTeacher: route.teacher && teachers.length === 0, awaitsPrincipal: route.principal && heads.length === 0 } }));
  await scheduleClocks(deps, r.ticket, r.state);
  await tell(deps, r.ticket, "new-t", "staff", teachers, await ticketSays(deps, r.ticket, "concern-to-staff", "teacher"));
  await tell(deps, r.ticket, "new-p", "staff", heads, await ticketSays(deps, r.ticket, "concern-to-staff", "principal"));
  const reached = teachers.length + heads.length;
  log(deps, { concernId: t._id, category: t.category, urgent: t.urgent, recipients: reached }, "concern created");
  const deliverAt = t.deliverAt ? new Date(t.deliverAt) : now;
  return {
    status: "created", ticket: await summaryOf(deps, r.ticket), respondBy: r.state.firstResponseDueAt ?? dues.firstResponseDueAt, unassigned: reached === 0,
    ...(deliverAt.getTime() > now.getTime() ? { deliverAt } : {}),
  };
}

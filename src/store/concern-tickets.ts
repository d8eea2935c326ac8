/**
 * The concern tickets repository: a ticket's facts (`transitions`, `_id = "<ticket>#v<n>"`,
 * decided by a unique insert through `decideTransition`), its summary document (`concerns`,
 * written only by the winner of a fact), ticket numbers as per-school number facts, and the
 * erasure of a guardian's tickets. No rules here: the feature folds the facts
 * (src/features/concerns/ticket-state.ts) and decides.
 */
import { randomBytes } from "node:crypto";
import { decideTransition, type Decision, type TransitionFact } from "./facts.js";
import { isDuplicateKey, type Models } from "./models.js";
import type { ConcernModels } from "./concern-models.js";
import { redactDeliveryGroups } from "./deliveries.js";

/** The entity of a school's ticket-number facts; fact `_id = "<entity>#n<seq>"`. */
const numbersOf = (schoolId: string) => `concern-numbers:${schoolId}`;

/** A short opaque ticket id: 10 base-36 characters. */
export function newTicketId(): string {
  return "t" + BigInt("0x" + randomBytes(8).toString("hex")).toString(36).padStart(9, "0").slice(0, 9);
}

/**
 * The next ticket number of a school: a number fact `n<seq>` whose seq is one more than the
 * school's number facts so far. Facts are inserted in sequence (a stale count collides and
 * retries), and erasure keeps them as anonymous placeholders, so a number is never issued twice.
 */
export async function allocateTicketNumber(models: Pick<Models, "Transition">, schoolId: string, ticketId: string, at: Date): Promise<number> {
  const entity = numbersOf(schoolId);
  for (let attempt = 0; attempt < 100; attempt++) {
    const seq = (await models.Transition.countDocuments({ entity })) + 1;
    const d = await decideTransition(models, { entity, slot: `n${seq}`, kind: "number", at, data: { ticketId } });
    if (d.won) return seq;
  }
  throw new Error("could not allocate a ticket number");
}

/** Inserts fact `v<version>` of a ticket: the first insert of that version wins. */
export function decideTicketFact(models: Pick<Models, "Transition">, ticketId: string, version: number,
  fact: { kind: string; actor: string; at: Date; data: object }): Promise<Decision<TransitionFact>> {
  return decideTransition(models, { entity: ticketId, slot: `v${version}`, ...fact });
}

/** A ticket's facts in version order. */
export async function ticketFacts(models: Pick<Models, "Transition">, ticketId: string): Promise<(TransitionFact & { version: number })[]> {
  const facts = (await models.Transition.find({ entity: ticketId }).lean()) as unknown as TransitionFact[];
  return facts.map((f) => ({ ...f, version: Number(f._id.slice(f._id.lastIndexOf("#v") + 2)) })).sort((a, b) => a.version - b.version);
}

/** How many facts a ticket has (its latest version: versions are inserted without gaps). */
export function ticketVersion(models: Pick<Models, "Transition">, ticketId: string): Promise<number> {
  return models.Transition.countDocuments({ entity: ticketId });
}

/** Writes a ticket's summary fields (the caller won the fact of `summary.version`). */
export async function writeTicketSummary(C: ConcernModels, ticketId: string, summary: Record<string, unknown> & { version: number }, now: Date): Promise<void> {
  await C.Concern.updateOne({ _id: ticketId }, { $set: { ...summary, updatedAt: now } });
}

/** Inserts a ticket document; false when one with its creating event exists already. */
export async function insertTicket(C: ConcernModels, doc: Record<string, unknown>): Promise<boolean> {
  try {
    await C.Concern.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Erases a guardian's tickets (/xoadulieu): the tickets, their messages and facts; their number
 * facts stay as anonymous placeholders so the numbers are never reissued. Staff authorship on
 * other families' tickets is kept as "erased".
 */
export async function eraseConcernsOf(models: Models, C: ConcernModels, identityId: string): Promise<Record<string, number>> {
  const mine = await C.Concern.find({ guardianIdentityId: identityId }).lean();
  const ids = mine.map((t) => t._id);
  // What the guardian wrote reached the staff through the outbox (`pa-<ticket>`): redacted there too.
  const { deliveriesRedacted } = await redactDeliveryGroups(models, ids.map((id) => `pa-${id}`));
  const messages = await C.ConcernMessage.deleteMany({ concernId: { $in: ids } });
  await C.ConcernEvent.deleteMany({ concernId: { $in: ids } });
  await models.Transition.deleteMany({ entity: { $in: ids } });
  const numberFacts = mine.map((t) => `${numbersOf(t.schoolId)}#n${t.seq}`);
  if (numberFacts.length > 0) await models.Transition.updateMany({ _id: { $in: numberFacts } }, { $set: { data: "{}" } });
  const tickets = await C.Concern.deleteMany({ _id: { $in: ids } });
  await C.ConcernMessage.updateMany({ authorIdentityId: identityId }, { $set: { authorIdentityId: "erased" } });
  await models.Transition.updateMany({ actor: identityId, _id: { $regex: /^t[0-9a-z]+#v\d+$/ } }, { $set: { actor: "erased" } });
  // A staff member's own settings and authorship.
  await C.StaffQuietHours.deleteMany({ _id: identityId });
  await C.ConcernIncident.updateMany({ createdBy: identityId }, { $set: { createdBy: "erased" } });
  return { concerns: tickets.deletedCount ?? 0, concernMessages: messages.deletedCount ?? 0, concernDeliveriesRedacted: deliveriesRedacted };
}

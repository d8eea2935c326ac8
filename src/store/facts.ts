/**
 * Deciding a contested change once. On FerretDB 1.24 no `updateOne` filter is a compare-and-set
 * and concurrent updates of one document undo each other (shared/reference/ferretdb.md); a
 * unique-key insert is atomic on every server. So a transition that two actors can attempt at
 * once — a resolve against an escalation clock, a cancel against a scheduled send, a board's
 * agreement against a reschedule — is an insert of a fact `_id = "<entity>#<transition>"`
 * (or `"<entity>#<seq>"`): the inserter wins and acts; everybody else gets 11000, reads the
 * winner and acts on it. A summary document (a ticket's status, a meeting's status) is written
 * only by a winner, and can be rebuilt from the facts.
 *
 * @example
 * const d = await decideOnce(models.Transition, { _id: `${ticketId}#resolved-c${cycle}`, entity: ticketId, kind: "resolved", actor });
 * if (!d.won) return { status: "closed", by: d.fact.kind };
 */
import type { Model } from "mongoose";
import { isDuplicateKey, type Models } from "./models.js";

export type Decision<T> = { won: true; fact: T } | { won: false; fact: T };

/** Inserts `fact`; the first insert of its `_id` wins, the others get the winner back. */
export async function decideOnce<T extends { _id: string }>(model: Pick<Model<unknown>, "collection">, fact: T): Promise<Decision<T>> {
  try {
    await model.collection.insertOne(fact as never);
    return { won: true, fact };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = (await model.collection.findOne({ _id: fact._id as never })) as unknown as T | null;
    // The winner cannot vanish between its insert and our read unless it was erased: treat that as lost too.
    return { won: false, fact: winner ?? fact };
  }
}

export interface TransitionFact {
  _id: string;
  entity: string;
  kind: string;
  actor: string;
  at: Date;
  /** JSON text: ids and values only, never a person's words. */
  data: string;
}

/**
 * The first of several competing transitions of `entity` within one `slot` (e.g. a ticket's
 * cycle, a meeting's version): `_id = "<entity>#<slot>"`, so "resolve" and "escalate" of one
 * cycle compete for the same key and exactly one of them happens.
 */
export async function decideTransition(
  models: Pick<Models, "Transition">,
  input: { entity: string; slot: string; kind: string; actor?: string; at: Date; data?: object },
): Promise<Decision<TransitionFact>> {
  return decideOnce<TransitionFact>(models.Transition, {
    _id: `${input.entity}#${input.slot}`, entity: input.entity, kind: input.kind, actor: input.actor ?? "", at: input.at, data: JSON.stringify(input.data ?? {}),
  });
}

/** Every transition decided for an entity, oldest first: what a summary is rebuilt from. */
export async function transitionsOf(models: Pick<Models, "Transition">, entity: string): Promise<TransitionFact[]> {
  return (await models.Transition.find({ entity }).sort({ at: 1, _id: 1 }).lean()) as unknown as TransitionFact[];
}

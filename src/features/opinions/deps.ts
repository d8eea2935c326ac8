/** What the opinion-round use cases share: the stored round as a plain object, load, view, the close facts. */
import { decideTransition, type Decision, type TransitionFact } from "../../store/facts.js";
import type { PollDeps } from "../polls/deps.js";
import type { PollActor } from "../polls/port.js";
import type { RoundView } from "./port.js";

/** Opinion rounds need exactly what polls need (same models, outbox, deadline jobs). */
export type OpinionDeps = PollDeps;

export type RoundDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; scopeName: string; topic: string; closesAt: Date; status: string;
  summaryQueuedAt?: Date | null; organizerIdentityId: string; studentIds: string[];
};

export function toRoundView(d: RoundDoc, closed = false): RoundView {
  return {
    id: d._id, topic: d.topic, scope: d.scope === "school" ? "school" : "class", scopeName: d.scopeName, closesAt: new Date(d.closesAt),
    status: d.status === "open" && !closed ? "open" : "closed",
  };
}

export async function loadRound(deps: OpinionDeps, id: string): Promise<RoundDoc | null> {
  return (await deps.polls.OpinionRound.findById(id).lean()) as RoundDoc | null;
}

/** The round when the actor organizes it, else undefined ("not-found" to the caller). */
export async function organizedRound(deps: OpinionDeps, actor: PollActor, id: string): Promise<RoundDoc | undefined> {
  const d = await loadRound(deps, id);
  return d && d.organizerIdentityId === actor.identityId ? d : undefined;
}

const entity = (roundId: string) => `round:${roundId}`;

/** Decides the round's close once (organizer or deadline). */
export function decideRoundClose(deps: OpinionDeps, roundId: string, kind: "closed" | "deadline", actor = ""): Promise<Decision<TransitionFact>> {
  return decideTransition(deps.models, { entity: entity(roundId), slot: "close", kind, actor, at: deps.clock.now() });
}

export async function roundClosed(deps: OpinionDeps, roundId: string): Promise<boolean> {
  return !!(await deps.models.Transition.exists({ _id: `${entity(roundId)}#close` }));
}

/** The frozen summary of a closed round: the opinions it counted and its numbers (ids and counts only). */
export interface FrozenSummary {
  opinionIds: string[];
  households: number;
  anonymous: number;
}

/** Freezes the round's summary once (call only once the close fact exists); everyone gets the first one written. */
export async function ensureFrozenSummary(deps: OpinionDeps, roundId: string): Promise<FrozenSummary> {
  const id = `${entity(roundId)}#summary`;
  const existing = await deps.models.Transition.findById(id).lean();
  if (existing) return JSON.parse(existing.data as string) as FrozenSummary;
  const docs = await deps.polls.Opinion.find({ roundId }).lean();
  const households = new Set((await deps.polls.OpinionParticipant.find({ roundId }).lean()).map((p) => p.studentId)).size;
  const data: FrozenSummary = { opinionIds: docs.map((o) => o._id), households, anonymous: docs.filter((o) => o.anonymous).length };
  const decision = await decideTransition(deps.models, { entity: entity(roundId), slot: "summary", kind: "summary", at: deps.clock.now(), data });
  return JSON.parse(decision.fact.data) as FrozenSummary;
}

/** Records that the summary went to the outbox. */
export async function markSummarySent(deps: OpinionDeps, roundId: string): Promise<void> {
  await decideTransition(deps.models, { entity: entity(roundId), slot: "published", kind: "published", at: deps.clock.now() });
}

/** True once the summary went to the outbox (rounds closed before facts existed carry `summaryQueuedAt`). */
export async function summarySent(deps: OpinionDeps, d: RoundDoc): Promise<boolean> {
  return !!d.summaryQueuedAt || !!(await deps.models.Transition.exists({ _id: `${entity(d._id)}#published` }));
}

/**
 * Votes, the close fact and the frozen result.
 *
 * A vote press inserts an immutable document `<poll>-<household key>-<n>` (n: the household's
 * press count); the household's choice is its highest n. Two guardians pressing at once race
 * on the insert, the loser re-reads and presses after the winner. The close is the unique fact
 * `poll:<id>#close`. The result is a second unique fact, `poll_results/<id>`, listing the vote
 * documents it counted; anyone may write it once the close fact exists, and every party reads
 * the winner's. A press that finds the close fact right after its insert looks itself up in
 * the result: counted, or refused and deleted — never stored yet missing from the result.
 */
import { decideOnce, decideTransition, type Decision, type TransitionFact } from "../../store/facts.js";
import type { PollDeps, PollDoc } from "./deps.js";

export interface VoteRow {
  /** The stored documents this choice stands on (one; several for a vote stored before presses were numbered). */
  ids: string[];
  voterKey: string;
  n: number;
  chosen: number[];
  studentId: string;
  by: string;
}

type VoteDoc = { _id: string; voterKey: string; n?: number | null; chosen?: number[] | null; option?: number | null; studentId?: string; by?: string };

export interface PollResultDoc {
  _id: string;
  voteIds: string[];
  counts: number[];
  voted: number;
  at: Date;
}

/** The household's current choice per key: its highest press (older one-document-per-household votes read as press 0). */
export function currentVotes(docs: VoteDoc[]): VoteRow[] {
  const byKey = new Map<string, VoteDoc[]>();
  for (const d of docs) byKey.set(d.voterKey, [...(byKey.get(d.voterKey) ?? []), d]);
  return [...byKey.values()].map((list) => {
    const pressed = list.filter((d) => (d.n ?? 0) > 0).sort((a, b) => b.n! - a.n!);
    const top = pressed[0];
    if (top) return { ids: [top._id], voterKey: top.voterKey, n: top.n!, chosen: [...(top.chosen ?? [])], studentId: top.studentId ?? "", by: top.by ?? "" };
    const options = [...new Set(list.map((d) => d.option).filter((o): o is number => typeof o === "number"))].sort((a, b) => a - b);
    return { ids: list.map((d) => d._id), voterKey: list[0]!.voterKey, n: 0, chosen: options, studentId: list[0]!.studentId ?? "", by: "" };
  });
}

export async function votesOf(deps: PollDeps, pollId: string, voterKey?: string): Promise<VoteRow[]> {
  return currentVotes((await deps.polls.PollVote.find({ pollId, ...(voterKey ? { voterKey } : {}) }).lean()) as VoteDoc[]);
}

const closeEntity = (pollId: string) => `poll:${pollId}`;

/** The close fact, when the poll was closed. */
export async function closeFactOf(deps: PollDeps, pollId: string): Promise<TransitionFact | undefined> {
  return ((await deps.models.Transition.findById(`${closeEntity(pollId)}#close`).lean()) ?? undefined) as TransitionFact | undefined;
}

/** Decides the close once: by the organizer ("closed") or the deadline job ("deadline"). */
export function decideClose(deps: PollDeps, pollId: string, kind: "closed" | "deadline", actor = ""): Promise<Decision<TransitionFact>> {
  return decideTransition(deps.models, { entity: closeEntity(pollId), slot: "close", kind, actor, at: deps.clock.now() });
}

/** Records that the result went to the outbox (a fact: only the close's winner ever writes the poll document). */
export async function markPublished(deps: PollDeps, pollId: string): Promise<void> {
  await decideTransition(deps.models, { entity: closeEntity(pollId), slot: "published", kind: "published", at: deps.clock.now() });
}

/** True once the result went to the outbox (polls closed before facts existed carry `resultQueuedAt`). */
export async function isPublished(deps: PollDeps, d: PollDoc): Promise<boolean> {
  return !!d.resultQueuedAt || !!(await deps.models.Transition.exists({ _id: `${closeEntity(d._id)}#published` }));
}

/** Counts per option and households that chose something, from current votes. */
export function countsOf(d: PollDoc, rows: VoteRow[]): { counts: number[]; voted: number } {
  const live = rows.filter((r) => r.chosen.length > 0);
  return { counts: d.options.map((_, i) => live.filter((r) => r.chosen.includes(i)).length), voted: live.length };
}

/** The frozen result of a closed poll: the first one written wins (call only once the close fact exists). */
export async function ensureResult(deps: PollDeps, d: PollDoc): Promise<PollResultDoc> {
  const frozen = (await deps.polls.PollResult.findById(d._id).lean()) as PollResultDoc | null;
  if (frozen) return frozen;
  // Every current row is listed, an emptied multiple choice too: its presser must find itself counted.
  const rows = await votesOf(deps, d._id);
  const candidate: PollResultDoc = { _id: d._id, voteIds: rows.flatMap((r) => r.ids), ...countsOf(d, rows), at: deps.clock.now() };
  return (await decideOnce(deps.polls.PollResult, candidate)).fact;
}

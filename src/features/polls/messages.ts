/**
 * The poll messages and button payloads: ballots, the organizer's tally, the result to every
 * household, the note to a guardian whose household's vote another guardian changed.
 */
import { dateArg, say, type Say, type SayArgs, type SayButton } from "../../engine/say.js";
import type { BallotStudent, PollTally, PollView } from "./port.js";

/** Vote button: "pv-<poll>-<studentIdx>-<option>" chooses; "pu-…" unchooses (multiple choice). ≤ 64 bytes. */
export function votePayload(pollId: string, studentIdx: number, option: number, remove = false): string {
  return `${remove ? "pu" : "pv"}-${pollId}-${studentIdx}-${option}`;
}

/** Parses a vote button payload; undefined when it is not one. */
export function parseVotePayload(payload: string): { pollId: string; studentIdx: number; option: number; remove: boolean } | undefined {
  const m = /^(pv|pu)-([a-z0-9]{4,16})-(\d{1,5})-(\d{1,2})$/.exec(payload);
  return m ? { remove: m[1] === "pu", pollId: m[2]!, studentIdx: Number(m[3]), option: Number(m[4]) } : undefined;
}

/** The Say arguments every poll message shares. */
export function pollArgs(p: PollView): SayArgs {
  return { question: p.question, scope: p.scope, scopeName: p.scopeName, deadline: dateArg(p.closesAt), multiple: p.multiple ? "yes" : "no", anonymity: p.anonymity };
}

/** "1. Có\n2. Không" — the option list inside a message. */
export function optionLines(p: PollView, counts?: number[]): string {
  return p.options.map((o, i) => (counts ? `${i + 1}. ${o}: ${counts[i] ?? 0}` : `${i + 1}. ${o}`)).join("\n");
}

/** The chosen options as text ("Thứ Bảy, Chủ Nhật"). */
export function chosenText(p: PollView, chosen: number[]): string {
  return chosen.map((i) => p.options[i]).filter((o): o is string => o !== undefined).join(", ");
}

/**
 * One child's ballot: the question and a button per option. In a multiple-choice poll a
 * chosen option's button unchooses it; in a single-choice poll pressing another replaces.
 */
export function ballotSay(p: PollView, s: BallotStudent): Say {
  const buttons: SayButton[][] = p.options.map((o, i) => {
    const isChosen = s.chosen.includes(i);
    return [{ text: `${isChosen ? "✅ " : ""}${i + 1}. ${o}`, payload: votePayload(p.id, s.idx, i, p.multiple && isChosen) }];
  });
  return say("poll-ballot", { ...pollArgs(p), studentName: s.studentName, options: optionLines(p), chosen: chosenText(p, s.chosen) }, buttons);
}

/** The organizer's live tally (counts, turnout and — for visible polls — who chose what). */
export function tallySays(t: PollTally): Say[] {
  const out = [say("poll-tally", { ...pollArgs(t.poll), status: t.poll.status, results: optionLines(t.poll, t.counts), voted: t.voted, households: t.households, ...t.reach })];
  if (t.voters && t.voters.length > 0) {
    const lines = t.voters.map((v) => `• ${v.studentName}: ${v.chosen.map((i) => t.poll.options[i] ?? "?").join(", ")}`).join("\n");
    out.push(say("poll-tally-voters", { lines }));
  }
  return out;
}

/** The result every household gets when the poll closes. */
export function resultSay(t: PollTally): Say {
  return say("poll-result", { ...pollArgs(t.poll), results: optionLines(t.poll, t.counts), voted: t.voted, households: t.households });
}

/** To the guardian whose vote for a child another guardian of the household just replaced. */
export function voteChangedSay(p: PollView, studentName: string, chosen: number[]): Say {
  return say("poll-vote-changed", { ...pollArgs(p), studentName, chosen: chosenText(p, chosen) });
}

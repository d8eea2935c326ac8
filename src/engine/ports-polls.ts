/**
 * The polls and opinion-rounds feature's port: what `flows/poll*.ts` and `flows/opinion*.ts`
 * may ask for. Implemented by `src/store/poll-service.ts` (documents in MongoDB, one vote
 * document per (poll, student), deadlines as BullMQ delayed jobs, fan-out through the
 * outbox) and wired in `src/app/feature-polls.ts`.
 *
 * Every method takes the acting person and checks their right itself: a poll or round that
 * is not the actor's is "not-found", never "forbidden", so nothing about another class leaks.
 */
import type { Roles } from "../domain/roles.js";
import type { OrganizerScope } from "../domain/poll.js";
import { dateArg, say, type Say, type SayArgs, type SayButton } from "./say.js";

/** Who is acting (a linked person). */
export interface PollActor {
  identityId: string;
  roles: Roles;
}

/**
 * *ẩn danh hoàn toàn* ("anonymous"): nobody, not even the organizer, can see who voted what;
 * *người tạo xem được* ("visible"): the organizer sees each household's choice.
 */
export type PollAnonymity = "anonymous" | "visible";

export interface PollDraft {
  scope: OrganizerScope;
  question: string;
  options: string[];
  multiple: boolean;
  anonymity: PollAnonymity;
  closesAt: Date;
}

/** A poll as flows show it. `scopeName` is the class name, or "" for the whole school. */
export interface PollView {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymity: PollAnonymity;
  scope: OrganizerScope["kind"];
  scopeName: string;
  closesAt: Date;
  status: "open" | "closed";
}

export type CreatePollResult =
  /** `households`: students in scope; `reached`: of them, those with a reachable guardian. */
  | { status: "created"; poll: PollView; households: number; reached: number }
  | { status: "past" }
  | { status: "forbidden" };

/** One of the guardian's children in a poll, by its index in the poll (the button token). */
export interface BallotStudent {
  idx: number;
  studentName: string;
  /** Option indexes chosen so far (empty: not voted yet). */
  chosen: number[];
}

export interface GuardianBallot {
  poll: PollView;
  students: BallotStudent[];
}

export type VoteResult =
  | { status: "recorded"; poll: PollView; student: BallotStudent }
  | { status: "closed"; poll: PollView }
  | { status: "not-found" };

export interface PollTally {
  poll: PollView;
  /** Votes per option, in option order. */
  counts: number[];
  /** Households (students) that voted / in scope. */
  voted: number;
  households: number;
  /** Only for "visible" polls: each voting household by the student's name. */
  voters?: { studentName: string; chosen: number[] }[];
}

export type ClosePollResult = { status: "closed"; tally: PollTally } | { status: "already-closed"; tally: PollTally } | { status: "not-found" };

export interface RoundDraft {
  scope: OrganizerScope;
  topic: string;
  closesAt: Date;
}

export interface RoundView {
  id: string;
  topic: string;
  scope: OrganizerScope["kind"];
  scopeName: string;
  closesAt: Date;
  status: "open" | "closed";
}

export type OpenRoundResult = { status: "opened"; round: RoundView; households: number; reached: number } | { status: "past" } | { status: "forbidden" };

export interface GuardianRound {
  round: RoundView;
  students: { studentId: string; studentName: string }[];
}

export type SubmitOpinionResult = { status: "recorded"; round: RoundView } | { status: "closed"; round: RoundView } | { status: "not-found" };

export interface OpinionView {
  at: Date;
  text: string;
  /** The student's name, or "" when the guardian chose to stay anonymous. */
  studentName: string;
}

export interface RoundSummary {
  round: RoundView;
  opinions: number;
  households: number;
  anonymous: number;
  named: number;
}

export type CloseRoundResult = { status: "closed"; summary: RoundSummary } | { status: "already-closed"; summary: RoundSummary } | { status: "not-found" };

export interface PollsPort {
  createPoll(actor: PollActor, draft: PollDraft, eventId: string): Promise<CreatePollResult>;
  /** The organizer's polls, open first, then the last closed ones. */
  listOrganizedPolls(actor: PollActor): Promise<PollView[]>;
  /** Open polls for the actor's children, with what each household chose so far. */
  ballots(actor: PollActor): Promise<GuardianBallot[]>;
  /** Chooses (single choice: replaces) or, with `remove`, unchooses an option for one child. */
  vote(actor: PollActor, pollId: string, studentIdx: number, option: number, remove: boolean): Promise<VoteResult>;
  tally(actor: PollActor, pollId: string): Promise<PollTally | undefined>;
  closePoll(actor: PollActor, pollId: string): Promise<ClosePollResult>;

  openRound(actor: PollActor, draft: RoundDraft, eventId: string): Promise<OpenRoundResult>;
  listOrganizedRounds(actor: PollActor): Promise<RoundView[]>;
  /** Open rounds for the actor's children (only the children in each round's scope). */
  roundsForGuardian(actor: PollActor): Promise<GuardianRound[]>;
  submitOpinion(actor: PollActor, roundId: string, studentId: string, text: string, anonymous: boolean, eventId: string): Promise<SubmitOpinionResult>;
  opinions(actor: PollActor, roundId: string): Promise<{ round: RoundView; opinions: OpinionView[] } | undefined>;
  /** Opinions as CSV text (UTF-8, header row; anonymous ones have an empty household column). */
  exportOpinionsCsv(actor: PollActor, roundId: string): Promise<string | undefined>;
  closeRound(actor: PollActor, roundId: string): Promise<CloseRoundResult>;
}

/** Deadline jobs, as the poll service sees them (BullMQ in `src/jobs/poll-deadlines.ts`). */
export interface PollDeadlineScheduler {
  /** One delayed job per (kind, id) with a deterministic id; re-adding is a no-op. */
  schedule(kind: "poll" | "opinion", id: string, at: Date): Promise<void>;
}

/** Vote button: "pv-<poll>-<studentIdx>-<option>" chooses; "pu-…" unchooses (multiple choice). ≤ 64 bytes. */
export function votePayload(pollId: string, studentIdx: number, option: number, remove = false): string {
  return `${remove ? "pu" : "pv"}-${pollId}-${studentIdx}-${option}`;
}

/** Parses a vote button payload; undefined when it is not one. */
export function parseVotePayload(payload: string): { pollId: string; studentIdx: number; option: number; remove: boolean } | undefined {
  const m = /^(pv|pu)-([a-z0-9]{4,16})-(\d{1,5})-(\d{1,2})$/.exec(payload);
  return m ? { remove: m[1] === "pu", pollId: m[2]!, studentIdx: Number(m[3]), option: Number(m[4]) } : undefined;
}

/** "Write an opinion" button under a round's invitation: "og-<round>". */
export function opinionPayload(roundId: string): string {
  return `og-${roundId}`;
}

/** The Say arguments every poll message shares. */
export function pollArgs(p: PollView): SayArgs {
  return { question: p.question, scope: p.scope, scopeName: p.scopeName, deadline: dateArg(p.closesAt), multiple: p.multiple ? "yes" : "no", anonymity: p.anonymity };
}

/** "1. Có\n2. Không" — the option list inside a message. */
export function optionLines(p: PollView, counts?: number[]): string {
  return p.options.map((o, i) => (counts ? `${i + 1}. ${o}: ${counts[i] ?? 0}` : `${i + 1}. ${o}`)).join("\n");
}

/**
 * One child's ballot: the question and a button per option. In a multiple-choice poll a
 * chosen option's button unchooses it; in a single-choice poll pressing another replaces.
 */
export function ballotSay(p: PollView, s: BallotStudent): Say {
  const chosen = s.chosen.map((i) => p.options[i]).filter((o): o is string => o !== undefined).join(", ");
  const buttons: SayButton[][] = p.options.map((o, i) => {
    const isChosen = s.chosen.includes(i);
    return [{ text: `${isChosen ? "✅ " : ""}${i + 1}. ${o}`, payload: votePayload(p.id, s.idx, i, p.multiple && isChosen) }];
  });
  return say("poll-ballot", { ...pollArgs(p), studentName: s.studentName, options: optionLines(p), chosen }, buttons);
}

/** The organizer's live tally (counts, turnout and — for visible polls — who chose what). */
export function tallySays(t: PollTally): Say[] {
  const out = [say("poll-tally", { ...pollArgs(t.poll), status: t.poll.status, results: optionLines(t.poll, t.counts), voted: t.voted, households: t.households })];
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

/** The Say arguments every opinion-round message shares. */
export function roundArgs(r: RoundView): SayArgs {
  return { topic: r.topic, scope: r.scope, scopeName: r.scopeName, deadline: dateArg(r.closesAt) };
}

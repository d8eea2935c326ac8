/**
 * The quick-polls feature's port: what `flows/poll*.ts` may ask for. Implemented by the use
 * cases of this folder (assembled in `index.ts`): one document per poll, one immutable
 * document per vote press (the household's choice is its latest press), the close decided by
 * a unique fact, deadlines as BullMQ delayed jobs, fan-out through the outbox.
 *
 * Every method takes the acting person and checks their right itself: a poll that is not the
 * actor's is "not-found", never "forbidden", so nothing about another class leaks.
 */
import type { Roles } from "../../domain/roles.js";
import type { OrganizerScope } from "../../domain/poll.js";

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
  /** Refused: the poll closed before (or while) the vote was cast; the vote is not stored. */
  | { status: "closed"; poll: PollView }
  | { status: "not-found" };

export interface PollTally {
  poll: PollView;
  /** Votes per option, in option order. */
  counts: number[];
  /** Households (students) that voted / in scope. */
  voted: number;
  households: number;
  /**
   * The households apart from the votes: `notVoted` reachable ones that have not voted,
   * `notLinked` / `blocked` ones that have not voted and cannot be reached.
   */
  reach: { notVoted: number; notLinked: number; blocked: number };
  /** Only for "visible" polls: each voting household by the student's name. */
  voters?: { studentName: string; chosen: number[] }[];
}

export type ClosePollResult = { status: "closed"; tally: PollTally } | { status: "already-closed"; tally: PollTally } | { status: "not-found" };

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
}

/** What a deadline job should do next: it closed, there was nothing to do, or it fired early and waits until `at`. */
export type DeadlineOutcome = "closed" | "skipped" | { waitUntil: Date };

/** Deadline jobs, as polls and opinion rounds see them (BullMQ in `src/jobs/poll-deadlines.ts`). */
export interface PollDeadlineScheduler {
  /** One delayed job per (kind, id) with a deterministic id; re-adding is a no-op. */
  schedule(kind: "poll" | "opinion", id: string, at: Date): Promise<void>;
  /** Like `schedule`, but says whether the job was missing (and is now created): the reconciler's count. */
  ensure(kind: "poll" | "opinion", id: string, at: Date): Promise<boolean>;
}

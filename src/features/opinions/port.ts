/**
 * The opinion-rounds feature's port: what `flows/opinion*.ts` may ask for. Implemented by the
 * use cases of this folder (assembled in `index.ts`): one document per round, one per opinion
 * (optionally anonymous: it then stores neither the student, nor the writer, nor anything
 * derived from the inbound message), one per (round, participant), the close decided by a
 * unique fact, the deadline as a BullMQ delayed job shared with polls.
 *
 * A round that is not the actor's is "not-found", never "forbidden".
 */
import type { OrganizerScope } from "../../domain/poll.js";
import type { PollActor } from "../polls/port.js";

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

/** One opinion as the flow submits it. `submission` is a random token the conversation drew (see `newSubmissionToken`). */
export interface OpinionInput {
  roundId: string;
  studentId: string;
  text: string;
  anonymous: boolean;
  submission: string;
}

export interface OpinionsPort {
  openRound(actor: PollActor, draft: RoundDraft, eventId: string): Promise<OpenRoundResult>;
  listOrganizedRounds(actor: PollActor): Promise<RoundView[]>;
  /** Open rounds for the actor's children (only the children in each round's scope). */
  roundsForGuardian(actor: PollActor): Promise<GuardianRound[]>;
  /** Stores an opinion once per `submission` token. */
  submitOpinion(actor: PollActor, input: OpinionInput): Promise<SubmitOpinionResult>;
  opinions(actor: PollActor, roundId: string): Promise<{ round: RoundView; opinions: OpinionView[] } | undefined>;
  /** Opinions as CSV text (UTF-8, header row; anonymous ones have an empty household column). */
  exportOpinionsCsv(actor: PollActor, roundId: string): Promise<string | undefined>;
  closeRound(actor: PollActor, roundId: string): Promise<CloseRoundResult>;
}

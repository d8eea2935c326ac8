/**
 * Quick polls and opinion rounds: one document per poll / round, one document per vote fact
 * (unique `_id`), one per opinion, one per (round, participant). Registered on the app's
 * connection by the polls feature; FerretDB 1.24 subset only (no nested arrays, no TTL, no
 * transactions).
 *
 * Anonymity of *ẩn danh hoàn toàn* polls: a vote's key is HMAC-SHA256(poll secret, student
 * id), truncated, and the vote stores neither the student nor the guardian nor a time. The
 * organizer only ever gets counts through the bot. The per-poll secret lives on the poll
 * document while the poll is open (so a guardian can change their vote) and is erased when
 * the poll closes, after which nobody — not even someone reading the database — can link a
 * vote to a household.
 */
import { ensureCollections } from "./mongo.js";
import { Schema, type Connection } from "mongoose";

const opts = { versionKey: false } as const;

const schemas = {
  Poll: new Schema({
    /** Short random-looking id derived from the creating event (fits button payloads). */
    _id: { type: String, required: true },
    schoolId: { type: String, required: true, index: true },
    scope: { type: String, required: true },
    classGroupId: { type: String, default: "" },
    scopeName: { type: String, default: "" },
    question: { type: String, required: true },
    options: { type: [String], required: true },
    multiple: { type: Boolean, default: false },
    anonymity: { type: String, required: true },
    closesAt: { type: Date, required: true },
    status: { type: String, default: "open", index: true },
    closedAt: Date,
    /** Legacy: set once the result went to the outbox (now the `poll:<id>#published` transition fact). */
    resultQueuedAt: Date,
    organizerIdentityId: { type: String, required: true, index: true },
    /** The households in scope at creation; a button carries the index into this list. */
    studentIds: { type: [String], default: [] },
    /** HMAC key of anonymous votes; "" once closed. */
    voterSecret: { type: String, default: "" },
    createdAt: { type: Date, required: true },
  }, opts),
  /**
   * One immutable document per press: `_id` = `${pollId}-${voterKey}-${n}`, n = the household's
   * press count (1, 2, …); the household's choice is its highest n (older presses are pruned).
   * Votes stored before presses were numbered (`option`, no `n`) read as press 0.
   */
  PollVote: new Schema({
    _id: { type: String, required: true },
    pollId: { type: String, required: true, index: true },
    voterKey: { type: String, required: true },
    n: { type: Number, default: 0 },
    /** The household's whole choice after this press (option indexes, ascending). */
    chosen: { type: [Number], default: undefined },
    /** Legacy: one chosen option per document. */
    option: Number,
    /** Only for "visible" polls; "" in anonymous ones. */
    studentId: { type: String, default: "" },
    /** Who pressed: the identity id in visible polls, its HMAC under the poll's secret in anonymous ones (told when replaced). */
    by: { type: String, default: "" },
  }, opts),
  /** The frozen result of a closed poll, `_id` = poll id, inserted once: the vote documents it counted and the counts. */
  PollResult: new Schema({
    _id: { type: String, required: true },
    voteIds: { type: [String], default: [] },
    counts: { type: [Number], default: [] },
    voted: { type: Number, required: true },
    at: { type: Date, required: true },
  }, opts),
  OpinionRound: new Schema({
    _id: { type: String, required: true },
    schoolId: { type: String, required: true, index: true },
    scope: { type: String, required: true },
    classGroupId: { type: String, default: "" },
    scopeName: { type: String, default: "" },
    topic: { type: String, required: true },
    closesAt: { type: Date, required: true },
    status: { type: String, default: "open", index: true },
    closedAt: Date,
    summaryQueuedAt: Date,
    organizerIdentityId: { type: String, required: true, index: true },
    studentIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  }, opts),
  /**
   * `_id` = `${roundId}-${submission}`: the submission token is random, drawn by the conversation
   * before it submits (a replayed turn stores once) and never derived from the inbound event,
   * so no inbound record can be joined to an anonymous opinion.
   */
  Opinion: new Schema({
    _id: { type: String, required: true },
    roundId: { type: String, required: true, index: true },
    text: { type: String, required: true },
    anonymous: { type: Boolean, default: false },
    /** Named opinions only ("" when anonymous): the household and who wrote it (for erasure). */
    studentId: { type: String, default: "" },
    authorIdentityId: { type: String, default: "", index: true },
    /** When it was written; for anonymous opinions only the hour (no join on an inbound record's time). */
    at: { type: Date, required: true },
  }, opts),
  /** `_id` = `${roundId}-${identityId}`: who to send the summary to, kept apart from what they wrote. */
  OpinionParticipant: new Schema({
    _id: { type: String, required: true },
    roundId: { type: String, required: true, index: true },
    identityId: { type: String, required: true, index: true },
    studentId: { type: String, required: true },
  }, opts),
};

/** Registers the poll models on a connection. */
export function registerPollModels(conn: Connection) {
  // One app registers once; a second call on the same connection (the console's reports) reuses the models.
  if (conn.models.Poll) return conn.models as unknown as ReturnType<typeof build>;
  return build(conn);
}

function build(conn: Connection) {
  return {
    Poll: conn.model("Poll", schemas.Poll, "polls"),
    PollVote: conn.model("PollVote", schemas.PollVote, "poll_votes"),
    PollResult: conn.model("PollResult", schemas.PollResult, "poll_results"),
    OpinionRound: conn.model("OpinionRound", schemas.OpinionRound, "opinion_rounds"),
    Opinion: conn.model("Opinion", schemas.Opinion, "opinions"),
    OpinionParticipant: conn.model("OpinionParticipant", schemas.OpinionParticipant, "opinion_participants"),
  };
}

export type PollModels = ReturnType<typeof registerPollModels>;

/** Creates the collections and indexes (idempotent). */
export async function ensurePollIndexes(m: PollModels): Promise<void> {
  await ensureCollections(Object.values(m));
}

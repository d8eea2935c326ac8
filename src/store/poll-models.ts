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
    /** Set once the result went to the outbox (a retried close re-enqueues with the same keys until then). */
    resultQueuedAt: Date,
    organizerIdentityId: { type: String, required: true, index: true },
    /** The households in scope at creation; a button carries the index into this list. */
    studentIds: { type: [String], default: [] },
    /** HMAC key of anonymous votes; "" once closed. */
    voterSecret: { type: String, default: "" },
    createdAt: { type: Date, required: true },
  }, opts),
  /**
   * Single choice: `_id` = `${pollId}-${voterKey}`, one per household, replaced on change.
   * Multiple choice: `_id` = `${pollId}-${voterKey}-${option}`, one per chosen option.
   */
  PollVote: new Schema({
    _id: { type: String, required: true },
    pollId: { type: String, required: true, index: true },
    voterKey: { type: String, required: true },
    option: { type: Number, required: true },
    /** Only for "visible" polls; "" in anonymous ones. */
    studentId: { type: String, default: "" },
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
  /** `_id` derives from the inbound event: a redelivered message is stored once. */
  Opinion: new Schema({
    _id: { type: String, required: true },
    roundId: { type: String, required: true, index: true },
    text: { type: String, required: true },
    anonymous: { type: Boolean, default: false },
    /** Named opinions only ("" when anonymous): the household and who wrote it (for erasure). */
    studentId: { type: String, default: "" },
    authorIdentityId: { type: String, default: "", index: true },
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
  return {
    Poll: conn.model("Poll", schemas.Poll, "polls"),
    PollVote: conn.model("PollVote", schemas.PollVote, "poll_votes"),
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

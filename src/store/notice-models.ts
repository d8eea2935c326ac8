/**
 * Notice documents: one per notice (its `status`/`sentAt` a summary written from the notice's
 * dispatch fact in `transitions`); one confirmation per (notice, student) (unique `_id`
 * `${noticeId}-${studentId}`, so two guardians pressing "Đã xem" at once count once); one
 * document per re-notify round (`${noticeId}-r${round}`, the round's decision).
 * Registered on the app's connection by the notices feature; FerretDB 1.24 subset only.
 */
import { ensureCollections } from "./mongo.js";
import { Schema, type Connection } from "mongoose";

const opts = { versionKey: false } as const;

const schemas = {
  Notice: new Schema({
    _id: { type: String, required: true },
    schoolId: { type: String, required: true, index: true },
    scope: { type: String, required: true },
    classGroupId: { type: String, default: "", index: true },
    grade: { type: Number, default: 0 },
    kind: { type: String, required: true },
    text: { type: String, required: true },
    fileMedia: { type: String, default: "" },
    fileRef: { type: String, default: "" },
    fileName: { type: String, default: "" },
    deadline: { type: Date, default: null },
    urgent: { type: Boolean, default: false },
    /** scheduled | sent | cancelled: a summary of the dispatch fact, written by its winner. */
    status: { type: String, required: true, index: true },
    sendAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    authorIdentityId: { type: String, required: true, index: true },
    signerRole: { type: String, required: true },
    signerClassName: { type: String, default: "" },
    signerTitle: { type: String, default: "" },
    signerName: { type: String, default: "" },
    createdAt: { type: Date, required: true },
  }, opts),
  NoticeConfirmation: new Schema({
    _id: { type: String, required: true },
    noticeId: { type: String, required: true, index: true },
    studentId: { type: String, required: true },
    confirmedBy: { type: String, default: "" },
    at: { type: Date, required: true },
  }, opts),
  /** One document per re-notify round: `${noticeId}-r${round}`, inserted once (two taps send once). */
  NoticeRound: new Schema({
    _id: { type: String, required: true },
    noticeId: { type: String, required: true, index: true },
    round: { type: Number, required: true },
    by: { type: String, default: "" },
    households: { type: Number, default: 0 },
    /** The households (students) this round reminds, decided with it. */
    studentIds: { type: [String], default: [] },
    at: { type: Date, required: true },
  }, opts),
};

/** Registers the notice models on a connection (a second call reuses them). */
export function registerNoticeModels(conn: Connection) {
  if (conn.models.Notice) return conn.models as unknown as ReturnType<typeof build>;
  return build(conn);
}

function build(conn: Connection) {
  return {
    Notice: conn.model("Notice", schemas.Notice, "notices"),
    NoticeConfirmation: conn.model("NoticeConfirmation", schemas.NoticeConfirmation, "notice_confirmations"),
    NoticeRound: conn.model("NoticeRound", schemas.NoticeRound, "notice_rounds"),
  };
}

export type NoticeModels = ReturnType<typeof registerNoticeModels>;

/** Creates collections and indexes (run once at start). */
export async function ensureNoticeIndexes(models: NoticeModels): Promise<void> {
  await ensureCollections(Object.values(models));
}

/** Erases a person's traces in the notice collections (/xoadulieu). */
export function noticeEraser(N: NoticeModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const c = await N.NoticeConfirmation.updateMany({ confirmedBy: identityId }, { $set: { confirmedBy: "erased" } });
    const n = await N.Notice.updateMany({ authorIdentityId: identityId }, { $set: { authorIdentityId: "erased" } });
    await N.NoticeRound.updateMany({ by: identityId }, { $set: { by: "erased" } });
    return { noticeConfirmations: c.modifiedCount ?? 0, noticesAuthored: n.modifiedCount ?? 0 };
  };
}

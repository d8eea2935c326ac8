/**
 * Notice documents: one per notice; one confirmation per (notice, student) (unique `_id`
 * `${noticeId}-${studentId}`, so two guardians pressing "Đã xem" at once count once).
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
    status: { type: String, required: true, index: true },
    /** Bumped on cancel: a scheduled job carries it and no-ops when it moved. */
    version: { type: Number, default: 1 },
    sendAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    /** Re-notify rounds sent so far (round 0 is the notice itself). */
    rounds: { type: Number, default: 0 },
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
  /** One document per re-notify round: `${noticeId}-r${round}` (a double tap sends once). */
  NoticeRound: new Schema({
    _id: { type: String, required: true },
    noticeId: { type: String, required: true, index: true },
    round: { type: Number, required: true },
    by: { type: String, default: "" },
    households: { type: Number, default: 0 },
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

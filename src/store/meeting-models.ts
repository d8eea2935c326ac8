/**
 * Meeting documents: one per meeting, its audit trail as separate documents, one RSVP per
 * (meeting, student) (unique `_id`), questions, attendance (one per pupil) and opinions after the meeting, one nudge per (meeting, local day), petition
 * signatures unique per (petition, student). Registered on the app's connection by the
 * meetings feature; FerretDB 1.24 subset only (no nested arrays, no TTL).
 */
import { ensureCollections } from "./mongo.js";
import { randomUUID } from "node:crypto";
import { Schema, type Connection } from "mongoose";

const id = { type: String, default: () => randomUUID() };
const opts = { versionKey: false } as const;

const schemas = {
  Meeting: new Schema({
    _id: { type: String, required: true },
    schoolId: { type: String, required: true, index: true },
    scope: { type: String, required: true },
    classGroupId: { type: String, default: "", index: true },
    grade: { type: Number, default: 0 },
    kind: { type: String, required: true },
    startsAt: { type: Date, required: true },
    place: { type: String, default: "" },
    agenda: { type: String, default: "" },
    status: { type: String, required: true, index: true },
    /**
     * Bumped by every status or content change, each decided by the unique transition fact
     * `<meeting>#v<version>` (facts.ts) and written only by its winner; reminder jobs carry it
     * and no-op when it moved.
     */
    version: { type: Number, default: 1 },
    boardRound: { type: Number, default: 0 },
    organizerIdentityId: { type: String, required: true, index: true },
    boardHeadIdentityId: { type: String, default: "" },
    /** The offsets planned for the current version (to unschedule them on the next change). */
    plannedOffsets: { type: [String], default: [] },
    minutes: { type: String, default: "" },
    createdAt: { type: Date, default: Date.now },
    updatedAt: { type: Date, default: Date.now },
  }, opts),
  MeetingAudit: new Schema({
    _id: id, meetingId: { type: String, required: true, index: true }, at: { type: Date, required: true },
    actor: { type: String, required: true }, action: { type: String, required: true },
    /** JSON text of the details. */
    details: { type: String, default: "{}" },
  }, opts),
  /**
   * One answer of a household, `_id` = `${meetingId}-${studentId}-${seq}` (seq 1, 2, …; older
   * documents `${meetingId}-${studentId}` count as seq 0): never replaced, the latest seq per
   * student decides. `reason` is written afterwards only by the answer's own author.
   */
  MeetingRsvp: new Schema({
    _id: { type: String, required: true }, meetingId: { type: String, required: true, index: true }, studentId: { type: String, required: true },
    seq: { type: Number, default: 0 }, eventId: { type: String, default: "" },
    answer: { type: String, required: true }, reason: { type: String, default: "" },
    answeredBy: { type: String, default: "" }, at: { type: Date, required: true },
  }, opts),
  MeetingQuestion: new Schema({
    _id: { type: String, required: true }, meetingId: { type: String, required: true, index: true }, studentId: { type: String, default: "" },
    askedBy: { type: String, default: "" }, anonymous: { type: Boolean, default: false }, text: { type: String, required: true }, at: { type: Date, required: true },
  }, opts),
  /** `_id` = `${meetingId}-${studentId}`: one attendance fact per pupil (household) and meeting, recorded when it was held. */
  MeetingAttendance: new Schema({
    _id: { type: String, required: true }, meetingId: { type: String, required: true, index: true }, studentId: { type: String, required: true },
    present: { type: Boolean, required: true }, recordedBy: { type: String, default: "" }, at: { type: Date, required: true },
  }, opts),
  /** A guardian's opinion on a held meeting: one document per message (`_id` from the event). */
  MeetingOpinion: new Schema({
    _id: { type: String, required: true }, meetingId: { type: String, required: true, index: true }, studentId: { type: String, default: "" },
    givenBy: { type: String, default: "", index: true }, anonymous: { type: Boolean, default: false }, text: { type: String, required: true }, at: { type: Date, required: true },
  }, opts),
  /** `_id` = `${meetingId}-${yyyy-mm-dd}`: the once-a-day nudge limit as a unique fact. */
  MeetingNudge: new Schema({ _id: { type: String, required: true }, meetingId: { type: String, required: true, index: true }, by: String, at: Date }, opts),
  /** Per-school reminder ladder (`_id` = schoolId); a school without one uses the default. Quiet hours are the school calendar's. */
  MeetingSettings: new Schema({
    _id: { type: String, required: true }, ladder: { type: String, required: true }, updatedAt: { type: Date, default: Date.now },
  }, opts),
  /**
   * An extraordinary-meeting petition of one class; `status` open → reached. `round` is the
   * class's petition number: opening round n is the unique fact `petition:<class>#open-<n>`,
   * so a class has one open petition at a time.
   */
  MeetingPetition: new Schema({
    _id: { type: String, required: true }, schoolId: { type: String, required: true }, classGroupId: { type: String, required: true, index: true },
    reason: { type: String, required: true }, status: { type: String, default: "open" }, round: { type: Number, default: 1 }, openedBy: { type: String, default: "" },
    createdAt: { type: Date, required: true }, reachedAt: Date,
  }, opts),
  MeetingPetitionSignature: new Schema({
    _id: { type: String, required: true }, petitionId: { type: String, required: true, index: true }, studentId: { type: String, required: true },
    signedBy: { type: String, default: "" }, at: { type: Date, required: true },
  }, opts).index({ petitionId: 1, studentId: 1 }, { unique: true }),
};

/** Registers the meeting models on a connection. */
export function registerMeetingModels(conn: Connection) {
  // One app registers once; a second call on the same connection reuses the models.
  if (conn.models.Meeting) return conn.models as unknown as ReturnType<typeof build>;
  return build(conn);
}

function build(conn: Connection) {
  return {
    Meeting: conn.model("Meeting", schemas.Meeting, "meetings"),
    MeetingAudit: conn.model("MeetingAudit", schemas.MeetingAudit, "meeting_audits"),
    MeetingRsvp: conn.model("MeetingRsvp", schemas.MeetingRsvp, "meeting_rsvps"),
    MeetingQuestion: conn.model("MeetingQuestion", schemas.MeetingQuestion, "meeting_questions"),
    MeetingAttendance: conn.model("MeetingAttendance", schemas.MeetingAttendance, "meeting_attendance"),
    MeetingOpinion: conn.model("MeetingOpinion", schemas.MeetingOpinion, "meeting_opinions"),
    MeetingNudge: conn.model("MeetingNudge", schemas.MeetingNudge, "meeting_nudges"),
    MeetingSettings: conn.model("MeetingSettings", schemas.MeetingSettings, "meeting_settings"),
    MeetingPetition: conn.model("MeetingPetition", schemas.MeetingPetition, "meeting_petitions"),
    MeetingPetitionSignature: conn.model("MeetingPetitionSignature", schemas.MeetingPetitionSignature, "meeting_petition_signatures"),
  };
}

export type MeetingModels = ReturnType<typeof registerMeetingModels>;

/** Creates collections and indexes (run once at start). */
export async function ensureMeetingIndexes(models: MeetingModels): Promise<void> {
  await ensureCollections(Object.values(models));
}

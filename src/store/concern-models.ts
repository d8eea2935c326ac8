/**
 * Concern documents: one summary per ticket (its facts — status changes, escalations, ratings,
 * reopens — are `transitions`, see concern-tickets.ts); every message its own document; staff
 * quiet hours; incident reports. FerretDB 1.24 subset only. The ticket number is unique per
 * school (`{schoolId, seq}`) and allocated from per-school number facts.
 */
import { ensureCollections } from "./mongo.js";
import type { Models } from "./models.js";
import { randomUUID } from "node:crypto";
import { Schema, type Connection } from "mongoose";

const id = { type: String, default: () => randomUUID() };
const opts = { versionKey: false } as const;

const schemas = {
  Concern: new Schema({
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    seq: { type: Number, required: true },
    number: { type: String, required: true },
    /** The creating event: a retried create finds the same ticket. */
    eventId: { type: String, required: true, unique: true },
    studentId: { type: String, required: true },
    classGroupId: { type: String, required: true, index: true },
    /** The school year of the pupil's class when raised: the calendar the clocks use. */
    yearName: { type: String, default: "" },
    guardianIdentityId: { type: String, required: true, index: true },
    category: { type: String, required: true },
    urgent: { type: Boolean, default: false },
    status: { type: String, required: true, index: true },
    /** The summary below is the fold of the ticket's facts up to this version (src/store/concern-tickets.ts). */
    version: { type: Number, default: 0 },
    /** How many times it went to Ban giám hiệu (clock or teacher or reopen). */
    escalations: { type: Number, default: 0 },
    /** Bumped whenever the clocks restart (reopen, hand back): clock jobs of older cycles no-op. */
    cycle: { type: Number, default: 1 },
    firstResponseDueAt: Date,
    resolutionDueAt: Date,
    deliverAt: Date,
    firstResponseAt: Date,
    resolvedAt: Date,
    confirmedAt: Date,
    rating: { type: Number, default: 0 },
    reopens: { type: Number, default: 0 },
    /** Nobody received it yet on that side (no homeroom teacher / Ban giám hiệu linked): delivered when one links (`runAssign`). */
    awaitsTeacher: { type: Boolean, default: false, index: true },
    awaitsPrincipal: { type: Boolean, default: false, index: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  }, opts).index({ schoolId: 1, seq: 1 }, { unique: true }),
  /** One message on a ticket; `_id` from the inbound event, so a redelivered update adds nothing. */
  ConcernMessage: new Schema({
    _id: { type: String, required: true }, concernId: { type: String, required: true, index: true },
    from: { type: String, required: true }, authorIdentityId: { type: String, default: "" },
    text: { type: String, default: "" }, photoRef: { type: String, default: "" }, at: { type: Date, required: true },
  }, opts),
  /** Older audit records (before ticket facts moved to `transitions`); only erased now. */
  ConcernEvent: new Schema({
    _id: id, concernId: { type: String, required: true, index: true }, schoolId: { type: String, required: true, index: true },
    type: { type: String, required: true }, from: { type: String, default: "" }, to: { type: String, default: "" },
    actor: { type: String, default: "" }, at: { type: Date, required: true },
    /** JSON text of the details (never the text of a concern). */
    details: { type: String, default: "{}" },
  }, opts),
  /** A staff member's own quiet hours for concerns; `_id` = their identity (one document per person). Minutes after local midnight. */
  StaffQuietHours: new Schema({
    _id: { type: String, required: true }, start: { type: Number, required: true }, end: { type: Number, required: true },
    sundays: { type: Boolean, default: true }, updatedAt: { type: Date, required: true },
  }, opts),
  ConcernIncident: new Schema({
    _id: { type: String, required: true }, concernId: { type: String, required: true, index: true }, schoolId: { type: String, required: true },
    whatHappened: String, when: String, informed: String, actions: String,
    createdBy: String, createdAt: Date, sentTo: { type: String, default: "" }, sentVia: { type: String, default: "" }, sentAt: Date,
  }, opts),
};

/** Registers the concern models on a connection (once per connection). */
export function registerConcernModels(conn: Connection) {
  if (conn.models.Concern) return conn.models as unknown as ReturnType<typeof build>;
  return build(conn);
}

function build(conn: Connection) {
  return {
    Concern: conn.model("Concern", schemas.Concern, "concerns"),
    ConcernMessage: conn.model("ConcernMessage", schemas.ConcernMessage, "concern_messages"),
    ConcernEvent: conn.model("ConcernEvent", schemas.ConcernEvent, "concern_events"),
    /** Core model (src/store/models.ts), kept here for the concern code that reads it. */
    SchoolCalendar: conn.models.SchoolCalendar as Models["SchoolCalendar"],
    ConcernIncident: conn.model("ConcernIncident", schemas.ConcernIncident, "concern_incidents"),
    StaffQuietHours: conn.model("StaffQuietHours", schemas.StaffQuietHours, "concern_staff_quiet_hours"),
  };
}

export type ConcernModels = ReturnType<typeof registerConcernModels>;

export async function ensureConcernIndexes(models: ConcernModels): Promise<void> {
  await ensureCollections(Object.values(models));
}

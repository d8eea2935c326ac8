/**
 * Mongoose schemas: one document per fact, string ids, unique indexes as the idempotency
 * primitive, and nothing outside the FerretDB 1.24 subset (no TTL, no partial/sparse unique,
 * no transactions). See ../shared/reference/ferretdb.md.
 */
import { randomUUID } from "node:crypto";
import { Schema, type Connection } from "mongoose";

const id = { type: String, default: () => randomUUID() };
const opts = { versionKey: false } as const;

const address = new Schema({ channel: String, account: String, userId: String, chatId: String }, { _id: false });

const schemas = {
  School: new Schema({ _id: id, name: { type: String, required: true }, slug: { type: String, required: true, unique: true },
    authorityContact: { type: String, default: "" }, timeZone: { type: String }, createdAt: { type: Date, default: Date.now } }, opts),
  SchoolYear: new Schema({ _id: id, schoolId: { type: String, required: true }, name: { type: String, required: true },
    startsOn: Date, endsOn: Date, archived: { type: Boolean, default: false } }, opts)
    .index({ schoolId: 1, name: 1 }, { unique: true }),
  ClassGroup: new Schema({ _id: id, schoolId: { type: String, required: true }, yearId: { type: String, required: true },
    name: { type: String, required: true }, grade: { type: Number, required: true } }, opts)
    .index({ yearId: 1, name: 1 }, { unique: true }),
  Student: new Schema({ _id: id, schoolId: { type: String, required: true }, classGroupId: { type: String, required: true, index: true },
    fullName: { type: String, required: true }, dateOfBirth: { type: String, default: "" },
    /** The school's own pupil number, unique per school ("" generated when absent). */
    studentCode: { type: String, required: true },
    /** Set when the pupil left the school (missing from a re-imported roster, confirmed by the office): never deleted. */
    leftAt: { type: Date, default: null } }, opts)
    .index({ schoolId: 1, studentCode: 1 }, { unique: true }),
  Staff: new Schema({ _id: id, schoolId: { type: String, required: true }, fullName: { type: String, required: true },
    title: { type: String, default: "Thầy/Cô" } }, opts),
  /** A person on one messenger account. Created only with consent. */
  ChannelIdentity: new Schema({ _id: id, channel: { type: String, required: true }, account: { type: String, required: true },
    externalUserId: { type: String, required: true }, chatId: { type: String, required: true },
    reachable: { type: Boolean, default: true }, locale: { type: String, default: "vi" }, displayName: { type: String, default: "" },
    createdAt: { type: Date, default: Date.now } }, opts)
    .index({ channel: 1, account: 1, externalUserId: 1 }, { unique: true }),
  /** "Guardian": an identity that is a guardian of a student. Notices count per student. */
  GuardianLink: new Schema({ _id: id, identityId: { type: String, required: true }, studentId: { type: String, required: true, index: true },
    schoolId: { type: String, required: true }, createdAt: { type: Date, default: Date.now } }, opts)
    .index({ identityId: 1, studentId: 1 }, { unique: true }),
  StaffRole: new Schema({ _id: id, identityId: { type: String, required: true, index: true }, staffId: { type: String, required: true },
    schoolId: { type: String, required: true }, role: { type: String, required: true },
    classGroupId: { type: String, default: "" } }, opts)
    .index({ identityId: 1, schoolId: 1, role: 1, classGroupId: 1 }, { unique: true }),
  BoardMembership: new Schema({ _id: id, identityId: { type: String, required: true, index: true }, schoolId: { type: String, required: true },
    scope: { type: String, required: true }, classGroupId: { type: String, default: "" }, position: { type: String, required: true },
    studentId: { type: String, default: "" },
    /** The school year of the board's term ("" on memberships made by an invite code: a class board's year is its class's). */
    yearId: { type: String, default: "" } }, opts)
    .index({ identityId: 1, schoolId: 1, scope: 1, classGroupId: 1 }, { unique: true }),
  InviteCode: new Schema({ _id: { type: String, required: true }, schoolId: { type: String, required: true, index: true }, grant: { type: Schema.Types.Mixed, required: true },
    slots: { type: Number, default: 1 }, expiresAt: { type: Date, required: true }, revoked: { type: Boolean, default: false },
    createdAt: { type: Date, default: Date.now } }, opts),
  /** One document per used slot of a code: `${code}#${slot}`. The unique _id makes redemption atomic.
   * `holder` (channel:account:userId) and `eventId` say who took the slot, so the same person's
   * retry of an interrupted redemption finishes with this slot; "erased" after /xoadulieu. */
  InviteRedemption: new Schema({ _id: { type: String, required: true }, code: { type: String, required: true, index: true },
    identityId: { type: String, required: true }, holder: { type: String, default: "" }, eventId: { type: String, default: "" },
    at: { type: Date, default: Date.now } }, opts),
  ConsentRecord: new Schema({ _id: id, identityId: { type: String, required: true, index: true }, version: { type: String, required: true },
    purpose: { type: String, default: "school-family-communication" }, at: { type: Date, default: Date.now } }, opts),
  /** The durable inbound record: written before an update is acknowledged to the platform. */
  ProcessedEvent: new Schema({ _id: { type: String, required: true }, status: { type: String, default: "received", index: true }, chatKey: { type: String, index: true },
    /** JSON text of the event, kept only until it is handled. */
    event: { type: String, default: null }, receivedAt: { type: Date, default: Date.now, index: true }, completedAt: Date }, opts),
  /** A finished turn, `_id` = the event id: inserted once when the engine returns (see inbox.ts). */
  Turn: new Schema({ _id: { type: String, required: true }, status: { type: String, required: true }, reason: { type: String, default: "" },
    flowId: { type: String, default: "" }, step: { type: String, default: "" },
    /** JSON text of the rendered `Outbound[]` (button rows are nested arrays); emptied once every reply is settled. */
    outbound: { type: String, default: "[]" }, at: { type: Date, default: Date.now, index: true } }, opts),
  ConversationState: new Schema({ _id: { type: String, required: true }, flowId: String, flowVersion: Number, step: String,
    /** JSON text: flow data may hold nested arrays, which FerretDB rejects. */
    data: { type: String, default: "{}" }, updatedAt: { type: Date, index: true }, lastEventId: String,
    /** JSON text of the steps behind (for "back"); the message whose keyboard was last answered. */
    trail: String, answeredRef: String }, { ...opts, minimize: false }),
  /** The language chosen before linking (keyed by chat), so nothing personal is needed for it. */
  LocalePreference: new Schema({ _id: { type: String, required: true }, locale: String, updatedAt: Date }, opts),
  AuditLog: new Schema({ _id: id, at: { type: Date, default: Date.now, index: true }, actor: { type: String, required: true },
    action: { type: String, required: true }, subject: { type: String, default: "" }, details: { type: Schema.Types.Mixed, default: {} } }, opts),
  /** Messages shown in the web playground, per chat, in order. */
  WebMessage: new Schema({ _id: id, chatKey: { type: String, required: true, index: true }, seq: { type: Number, required: true },
    /** JSON text: FerretDB rejects nested arrays such as button rows. */
    outbound: { type: String, required: true }, at: { type: Date, default: Date.now } }, opts)
    .index({ chatKey: 1, seq: 1 }, { unique: true }),
  /** One delivery per (item, recipient): the outbox's guarantee against double sends. Never
   * updated after creation; its progress is recorded as `DeliveryMark`s (see deliveries.ts). */
  Delivery: new Schema({ _id: { type: String, required: true }, recipient: { type: address, required: true }, identityId: { type: String, default: "" },
    /** JSON text of `Say[]` (button rows are nested arrays, which FerretDB rejects). */
    messages: { type: String, required: true }, group: { type: String, default: "", index: true }, createdAt: { type: Date, default: Date.now },
    /** The recipient's locale when enqueued ("" none); absent on older deliveries (then read at send). */
    locale: { type: String },
    /** The zone its dates show in (the school's); absent = the deployment default. */
    timeZone: { type: String } }, opts),
  /** One fact about a delivery, `_id = ${delivery}|${kind}` (kinds in deliveries.ts): inserted, never updated. */
  DeliveryMark: new Schema({ _id: { type: String, required: true }, delivery: { type: String, required: true }, group: { type: String, default: "", index: true },
    kind: { type: String, required: true }, at: { type: Date, default: Date.now }, error: String }, opts),
  /** A delivery without a terminal mark yet, `_id` = the delivery's id: the small set the
   * reconciler reads every minute to re-enqueue jobs Redis lost. Inserted with the delivery,
   * deleted once a terminal mark is written (see deliveries.ts). `dueAt`: its `notBefore`.
   * `job`: the tag of its job id when it is not the first one (a held delivery released again). */
  OpenDelivery: new Schema({ _id: { type: String, required: true }, dueAt: { type: Date, required: true }, at: { type: Date, default: Date.now }, job: String }, opts),
  /** A school's calendar for one year, `_id` = "<schoolId>#<yearName>" (or schoolId: all years). Minutes after local midnight. See school-calendar.ts: also the school's nightly quiet hours for every non-urgent send. */
  SchoolCalendar: new Schema({
    _id: { type: String, required: true }, yearName: { type: String, default: "" },
    schoolDays: { type: [Number], default: [1, 2, 3, 4, 5] }, dayStart: { type: Number, default: 420 }, dayEnd: { type: Number, default: 1020 },
    holidays: { type: [String], default: [] }, quietStart: { type: Number, default: 1260 }, quietEnd: { type: Number, default: 390 },
    quietSundays: { type: Boolean, default: true }, firstResponseHours: { type: Number, default: 8 }, resolutionDays: { type: Number, default: 3 },
    /** The vice-principal (staff id) the school designates for concerns; empty = the principal. */
    escalationStaffId: { type: String, default: "" },
    /** Older form of the designation (an identity); still honoured. */
    escalationIdentityId: { type: String, default: "" },
  }, opts),
  /** A decided transition, `_id` = "<entity>#<transition>" (see facts.ts): the first insert wins, never updated. */
  Transition: new Schema({ _id: { type: String, required: true }, entity: { type: String, required: true, index: true },
    kind: { type: String, required: true }, actor: { type: String, default: "" }, at: { type: Date, required: true },
    /** JSON text of what the winner decided (ids and values, never a person's words). */
    data: { type: String, default: "{}" } }, opts),
  /** The guardians' contact as the school's roster gives it, for the school's own use only: never shown to teachers or other parents, never used by the bot. `_id` = studentId. */
  RosterContact: new Schema({ _id: { type: String, required: true }, schoolId: { type: String, required: true, index: true },
    guardianName: { type: String, default: "" }, phones: { type: [String], default: [] }, updatedAt: { type: Date, default: Date.now } }, opts),
  /** A one-time sign-in link to the office console, `_id` = sha256 of its token (the token itself is never stored). Used once: a Transition `<_id>#used`. */
  ConsoleLink: new Schema({ _id: { type: String, required: true }, schoolId: { type: String, required: true }, identityId: { type: String, default: "" },
    role: { type: String, required: true }, classGroupId: { type: String, default: "" }, createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true } }, opts),
  /** A console session, `_id` = sha256 of its cookie; dropped after its idle timeout or at sign-out. */
  ConsoleSession: new Schema({ _id: { type: String, required: true }, schoolId: { type: String, required: true }, identityId: { type: String, default: "" },
    role: { type: String, required: true }, classGroupId: { type: String, default: "" }, csrf: { type: String, required: true },
    createdAt: { type: Date, required: true }, lastSeenAt: { type: Date, required: true, index: true } }, opts),
  /** A roster file read for review, kept until applied or an hour old: JSON text of its rows. */
  ConsoleUpload: new Schema({ _id: { type: String, required: true }, sessionId: { type: String, required: true }, schoolId: { type: String, required: true },
    yearId: { type: String, required: true }, fileName: { type: String, default: "" }, records: { type: String, required: true },
    createdAt: { type: Date, required: true, index: true } }, opts),
  /** One identity paired with a person's other messengers, `_id` = the identity (a pairing is decided once per identity). Absent: a person of one messenger. See people.ts. */
  PersonLink: new Schema({ _id: { type: String, required: true }, personId: { type: String, required: true, index: true }, at: { type: Date, required: true },
    /** The hash of the pairing code this identity joined with ("" for the issuer): erased with it. */
    code: { type: String, default: "" } }, opts),
  /** A one-time pairing code (`/kenh` → "Thêm kênh khác"), `_id` = sha256 of the code (the code itself is never stored). Used once: a Transition `pairing:<_id>#used`. */
  PairingCode: new Schema({ _id: { type: String, required: true }, identityId: { type: String, required: true, index: true }, personId: { type: String, required: true },
    createdAt: { type: Date, required: true }, expiresAt: { type: Date, required: true } }, opts),
};

export type ModelName = keyof typeof schemas;

/** Registers every model on a connection and returns them by name. */
export function registerModels(conn: Connection) {
  return {
    School: conn.model("School", schemas.School, "schools"),
    SchoolYear: conn.model("SchoolYear", schemas.SchoolYear, "school_years"),
    ClassGroup: conn.model("ClassGroup", schemas.ClassGroup, "class_groups"),
    Student: conn.model("Student", schemas.Student, "students"),
    Staff: conn.model("Staff", schemas.Staff, "staff"),
    ChannelIdentity: conn.model("ChannelIdentity", schemas.ChannelIdentity, "channel_identities"),
    GuardianLink: conn.model("GuardianLink", schemas.GuardianLink, "guardian_links"),
    StaffRole: conn.model("StaffRole", schemas.StaffRole, "staff_roles"),
    BoardMembership: conn.model("BoardMembership", schemas.BoardMembership, "board_memberships"),
    InviteCode: conn.model("InviteCode", schemas.InviteCode, "invite_codes"),
    InviteRedemption: conn.model("InviteRedemption", schemas.InviteRedemption, "invite_redemptions"),
    ConsentRecord: conn.model("ConsentRecord", schemas.ConsentRecord, "consent_records"),
    ProcessedEvent: conn.model("ProcessedEvent", schemas.ProcessedEvent, "processed_events"),
    Turn: conn.model("Turn", schemas.Turn, "turns"),
    ConversationState: conn.model("ConversationState", schemas.ConversationState, "conversations"),
    LocalePreference: conn.model("LocalePreference", schemas.LocalePreference, "locale_preferences"),
    AuditLog: conn.model("AuditLog", schemas.AuditLog, "audit_logs"),
    WebMessage: conn.model("WebMessage", schemas.WebMessage, "web_messages"),
    Delivery: conn.model("Delivery", schemas.Delivery, "deliveries"),
    DeliveryMark: conn.model("DeliveryMark", schemas.DeliveryMark, "delivery_marks"),
    OpenDelivery: conn.model("OpenDelivery", schemas.OpenDelivery, "delivery_open"),
    SchoolCalendar: conn.model("SchoolCalendar", schemas.SchoolCalendar, "school_calendars"),
    Transition: conn.model("Transition", schemas.Transition, "transitions"),
    RosterContact: conn.model("RosterContact", schemas.RosterContact, "roster_contacts"),
    ConsoleLink: conn.model("ConsoleLink", schemas.ConsoleLink, "console_links"),
    ConsoleSession: conn.model("ConsoleSession", schemas.ConsoleSession, "console_sessions"),
    ConsoleUpload: conn.model("ConsoleUpload", schemas.ConsoleUpload, "console_uploads"),
    PersonLink: conn.model("PersonLink", schemas.PersonLink, "person_links"),
    PairingCode: conn.model("PairingCode", schemas.PairingCode, "pairing_codes"),
  };
}

export type Models = ReturnType<typeof registerModels>;

/** True for a duplicate-key error (FerretDB returns the code without keyValue). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Inserts a document; false on a duplicate key (a fact someone, or a retry, inserted first). */
export async function insertOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

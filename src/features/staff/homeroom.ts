/**
 * Assigning a class's homeroom teacher (GVCN), at the start of the year or mid-year. The
 * assignment is the versioned fact `homeroom:<class>#v<n>` (src/store/versioned-facts.ts): two
 * admins changing the same class at once compete for the same version and exactly one wins;
 * the other is told the class changed meanwhile. Only the winner writes the projection — the
 * homeroom `StaffRole` of the class — and `rolesOf` counts a homeroom role only while it names
 * the latest assignment's staff member, so the replaced teacher loses the class at once.
 * Open concerns follow the class (they are routed to its current teacher when read); class
 * meetings belong to the class's current teacher (`mayOrganize`), and those still in draft or
 * with the board move their organizer too. The new teacher is told in the bot, with the
 * counts; one without a messenger link yet gets a homeroom invite code instead.
 */
import { say } from "../../engine/say.js";
import { decideTransition } from "../../store/facts.js";
import { isDuplicateKey } from "../../store/models.js";
import { samePersonAs } from "../../store/people.js";
import { homeroomEntity, latestOf } from "../../store/versioned-facts.js";
import { createSchoolAdmin } from "../school/admin.js";
import { decideChange, onLatest } from "../meetings/transition.js";
import type { MeetingDeps, MeetingDoc } from "../meetings/deps.js";
import { audit, tell, type StaffDeps } from "./deps.js";

export interface HomeroomAssignment {
  staffId: string;
  /** The teacher's messenger identity when the assignment was made ("" not linked yet). */
  identityId: string;
}

export type AssignResult =
  | { status: "assigned"; version: number; concerns: number; meetings: number; told: boolean; code?: string }
  | { status: "unchanged" }
  | { status: "changed-meanwhile"; version: number }
  | { status: "not-found" };

/** The class's current assignment and its version (what the console's form carries as `seen`). */
export async function currentHomeroom(deps: Pick<StaffDeps, "models">, classGroupId: string) {
  const v = await latestOf<HomeroomAssignment>(deps.models, homeroomEntity(classGroupId));
  const legacy = v.current ? undefined : await deps.models.StaffRole.findOne({ role: "homeroom-teacher", classGroupId }).lean();
  return { version: v.version, staffId: v.current?.staffId ?? legacy?.staffId ?? "" };
}

/** The identity a staff member links with (any of their roles), or "". */
async function identityOfStaff(deps: StaffDeps, staffId: string): Promise<string> {
  return (await deps.models.StaffRole.findOne({ staffId }).lean())?.identityId ?? "";
}

/**
 * Makes `staffId` the class's homeroom teacher. `seen` is the version the deciding admin saw
 * (the console's form); without it (CLI) the latest version is used.
 */
export async function assignHomeroom(deps: StaffDeps, input: { schoolId: string; classGroupId: string; staffId: string; by: string; seen?: number }): Promise<AssignResult> {
  const [c, staff] = await Promise.all([deps.models.ClassGroup.findById(input.classGroupId).lean(), deps.models.Staff.findById(input.staffId).lean()]);
  if (!c || !staff || c.schoolId !== input.schoolId || staff.schoolId !== input.schoolId) return { status: "not-found" };
  const now = await currentHomeroom(deps, c._id);
  const slot = input.seen ?? now.version;
  if (slot !== now.version) return { status: "changed-meanwhile", version: now.version };
  const identityId = await identityOfStaff(deps, input.staffId);
  // The same teacher again is no change while they hold the class; one not linked yet, or whose role was cleared
  // (a rollover clears homeroom roles), is assigned again: their role is restored, or their code given again.
  const holds = await deps.models.StaffRole.countDocuments({ role: "homeroom-teacher", classGroupId: c._id, staffId: input.staffId });
  if (now.staffId === input.staffId && holds > 0) return { status: "unchanged" };
  const previous = (await deps.models.StaffRole.find({ role: "homeroom-teacher", classGroupId: c._id }).lean()).filter((r) => r.staffId !== input.staffId);
  const decided = await decideTransition(deps.models, {
    entity: homeroomEntity(c._id), slot: `v${slot}`, kind: "assigned", actor: input.by, at: deps.clock.now(), data: { staffId: input.staffId, identityId } satisfies HomeroomAssignment,
  });
  if (!decided.won) return { status: "changed-meanwhile", version: slot + 1 };
  await projectHomeroom(deps, c, { staffId: input.staffId, identityId });
  const code = identityId ? undefined : await homeroomCode(deps, c, input.staffId);
  const meetings = await handOverMeetings(deps, c._id, identityId, input.by);
  const concerns = await deps.concerns.Concern.countDocuments({ classGroupId: c._id, status: { $ne: "resolved" } });
  const version = slot + 1;
  const told = await tell(deps, `hrt-${c._id}`, `hrt-${c._id}-v${version}-new`, identityId, [say("staff-homeroom-assigned", { className: c.name, concerns, meetings })]);
  for (const p of new Set(previous.map((r) => r.identityId)))
    await tell(deps, `hrt-${c._id}`, `hrt-${c._id}-v${version}-old-${p}`, p, [say("staff-homeroom-ended", { className: c.name })]);
  await audit(deps, input.by, "homeroom-assigned", c._id, { staffId: input.staffId, version, concerns, meetings });
  return { status: "assigned", version, concerns, meetings, told, ...(code ? { code } : {}) };
}

/** Writes the homeroom roles of the class as the assignment says (idempotent: a retry repeats it). */
async function projectHomeroom(deps: StaffDeps, c: { _id: string; schoolId: string }, a: HomeroomAssignment): Promise<void> {
  await deps.models.StaffRole.deleteMany({ role: "homeroom-teacher", classGroupId: c._id, staffId: { $ne: a.staffId } });
  // Codes still out for the replaced teachers would give the class back: revoked.
  await deps.models.InviteCode.updateMany(
    { schoolId: c.schoolId, "grant.kind": "staff", "grant.role": "homeroom-teacher", "grant.classGroupId": c._id, "grant.staffId": { $ne: a.staffId } },
    { $set: { revoked: true } },
  );
  if (!a.identityId) return;
  // A teacher paired on several messengers (/kenh) holds the class on each of them.
  for (const identityId of await samePersonAs(deps.models, a.identityId))
    try {
      await deps.models.StaffRole.create({ identityId, staffId: a.staffId, schoolId: c.schoolId, role: "homeroom-teacher", classGroupId: c._id });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
}

/** A usable homeroom code for a teacher not linked yet (the one still out, or a new one). */
async function homeroomCode(deps: StaffDeps, c: { _id: string; schoolId: string }, staffId: string): Promise<string> {
  const open = await deps.models.InviteCode.findOne({ schoolId: c.schoolId, revoked: false, expiresAt: { $gt: deps.clock.now() }, "grant.kind": "staff", "grant.role": "homeroom-teacher", "grant.classGroupId": c._id, "grant.staffId": staffId }).lean();
  if (open && (await deps.models.InviteRedemption.countDocuments({ code: open._id })) === 0) return open._id;
  const row = await createSchoolAdmin(deps.models, () => deps.clock.now()).issueStaffCode({ schoolId: c.schoolId, staffId, role: "homeroom-teacher", classGroupId: c._id, ttlDays: deps.ttlDays });
  return row.code;
}

/**
 * The class's upcoming meetings: all now belong to the new teacher (`mayOrganize`); those not
 * published yet (draft, with the board) also get the new organizer, by a meeting transition, so
 * the board's answer reaches them. Published ones keep their version (and reminder jobs).
 */
async function handOverMeetings(deps: StaffDeps, classGroupId: string, identityId: string, by: string): Promise<number> {
  const upcoming = (await deps.meetings.Meeting.find({ scope: "class", classGroupId, status: { $in: ["draft", "pending-board", "published"] }, startsAt: { $gt: deps.clock.now() } }).lean()) as MeetingDoc[];
  const md = { models: deps.models, meetings: deps.meetings, clock: deps.clock } as MeetingDeps;
  for (const m of upcoming.filter((x) => x.status !== "published" && identityId && x.organizerIdentityId !== identityId)) {
    await onLatest(md, m._id, async (d) => {
      if (d.status === "published" || d.organizerIdentityId === identityId) return "done" as const;
      return (await decideChange(md, d, "organizer-changed", by, { organizerIdentityId: identityId })).won ? "done" as const : "lost";
    }, "done" as const);
  }
  return upcoming.length;
}

/**
 * Revoking and reissuing a student's guardian invite code from the class page (a lost slip, a
 * code given to the wrong family). A reissue is the versioned fact `code:<student>#v<n>`: two
 * clicks or two admins at once issue one new code, and both are shown that one. A revoked code
 * no longer redeems (`isOpen` in src/features/linking/codes.ts); guardians already linked stay
 * linked. The class's slips print the new code.
 */
import { DEFAULT_GUARDIAN_SLOTS } from "../../domain/roles.js";
import { generateInviteCode } from "../../domain/invite-code.js";
import { decideTransition } from "../../store/facts.js";
import { isDuplicateKey } from "../../store/models.js";
import { latestOf, studentCodeEntity } from "../../store/versioned-facts.js";
import { audit, type StaffDeps } from "./deps.js";

const DAY_MS = 86_400_000;

/** Revokes every open guardian code of the student; how many were open. */
export async function revokeStudentCodes(deps: StaffDeps, input: { schoolId: string; studentId: string; by: string }): Promise<number> {
  const r = await deps.models.InviteCode.updateMany({ schoolId: input.schoolId, "grant.kind": "guardian", "grant.studentId": input.studentId, revoked: false }, { $set: { revoked: true } });
  await audit(deps, input.by, "codes-revoked", input.studentId, { count: r.modifiedCount });
  return r.modifiedCount;
}

export type ReissueResult = { status: "issued" | "already-reissued"; code: string; expiresAt: Date } | { status: "not-found" };

/**
 * Revokes the student's open codes and issues one new code. `seen` is the reissue version the
 * admin's page showed; a loser of the same version gets the winner's code.
 */
export async function reissueStudentCode(deps: StaffDeps, input: { schoolId: string; studentId: string; by: string; seen?: number }): Promise<ReissueResult> {
  const student = await deps.models.Student.findById(input.studentId).lean();
  if (!student || student.schoolId !== input.schoolId || student.leftAt) return { status: "not-found" };
  const latest = await latestOf<{ code: string; expiresAt: string }>(deps.models, studentCodeEntity(student._id));
  const slot = input.seen ?? latest.version;
  const code = generateInviteCode();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.ttlDays * DAY_MS);
  const decided = await decideTransition(deps.models, { entity: studentCodeEntity(student._id), slot: `v${slot}`, kind: "reissued", actor: input.by, at: deps.clock.now(), data: { code, expiresAt: expiresAt.toISOString() } });
  const won = JSON.parse(decided.fact.data) as { code: string; expiresAt: string };
  if (!decided.won) return { status: "already-reissued", code: won.code, expiresAt: new Date(won.expiresAt) };
  await revokeStudentCodes(deps, { schoolId: input.schoolId, studentId: student._id, by: input.by });
  // The new code's slots: what the family has not used yet (at least one, to replace a parent).
  const linked = await deps.models.GuardianLink.countDocuments({ studentId: student._id });
  try {
    await deps.models.InviteCode.create({ _id: code, schoolId: input.schoolId, grant: { kind: "guardian", studentId: student._id }, slots: Math.max(1, DEFAULT_GUARDIAN_SLOTS - linked), expiresAt });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // 65 random bits: a collision with an existing code is astronomically rare
    throw new Error("invite code collision", { cause: err });
  }
  return { status: "issued", code, expiresAt };
}

/** The student's current usable guardian code and the reissue version (for the class page). */
export async function studentCodes(deps: Pick<StaffDeps, "models" | "clock">, studentIds: string[]): Promise<Map<string, { code?: string; version: number }>> {
  const codes = await deps.models.InviteCode.find({ "grant.kind": "guardian", "grant.studentId": { $in: studentIds }, revoked: false, expiresAt: { $gt: deps.clock.now() } }).lean();
  const out = new Map<string, { code?: string; version: number }>();
  for (const id of studentIds) {
    const mine = codes.filter((c) => (c.grant as { studentId: string }).studentId === id).sort((a, b) => +b.createdAt - +a.createdAt);
    out.set(id, { code: mine[0]?._id, version: (await latestOf(deps.models, studentCodeEntity(id))).version });
  }
  return out;
}

/**
 * The school's staff as the office console manages them: who they are, which roles they hold
 * (linked on a messenger or not yet), adding a member, and a one-person invite code for a role
 * (principal, vice-principal, school admin / văn thư). Homeroom classes are assigned in
 * homeroom.ts.
 */
import { STAFF_ROLES, type StaffRole } from "../../domain/roles.js";
import { compareVietnameseNames } from "../../domain/text.js";
import { homeroomEntity, latestOfMany } from "../../store/versioned-facts.js";
import { createSchoolAdmin } from "../school/admin.js";
import type { StaffDeps } from "./deps.js";

export interface StaffRow {
  id: string;
  fullName: string;
  title: string;
  linked: boolean;
  roles: StaffRole[];
  /** Names of the classes they are the current homeroom teacher of. */
  homeroomOf: string[];
}

/** The school's staff, by name. */
export async function listStaff(deps: Pick<StaffDeps, "models">, schoolId: string): Promise<StaffRow[]> {
  const [staff, roles] = await Promise.all([deps.models.Staff.find({ schoolId }).lean(), deps.models.StaffRole.find({ schoolId }).lean()]);
  const latest = await latestOfMany<{ staffId: string }>(deps.models, [...new Set(roles.map((r) => r.classGroupId).filter(Boolean))].map(homeroomEntity));
  const current = roles.filter((r) => r.role !== "homeroom-teacher" || (latest.get(homeroomEntity(r.classGroupId))?.current?.staffId ?? r.staffId) === r.staffId);
  const classes = new Map((await deps.models.ClassGroup.find({ _id: { $in: current.map((r) => r.classGroupId).filter(Boolean) } }).lean()).map((c) => [c._id, c.name]));
  return staff.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName)).map((s) => {
    const mine = current.filter((r) => r.staffId === s._id);
    return {
      id: s._id, fullName: s.fullName, title: s.title ?? "Thầy/Cô", linked: roles.some((r) => r.staffId === s._id),
      roles: [...new Set(mine.map((r) => r.role as StaffRole))],
      homeroomOf: mine.filter((r) => r.role === "homeroom-teacher").map((r) => classes.get(r.classGroupId) ?? "").filter(Boolean),
    };
  });
}

/** Adds a staff member (a name and how the bot addresses them: Thầy, Cô or Thầy/Cô). */
export async function addStaffMember(deps: Pick<StaffDeps, "models">, input: { schoolId: string; fullName: string; title: string }): Promise<{ id: string } | { error: "name" }> {
  const fullName = input.fullName.normalize("NFC").trim().replace(/\s+/g, " ");
  if (fullName.length < 2 || fullName.length > 80) return { error: "name" };
  const title = ["Thầy", "Cô"].includes(input.title) ? input.title : "Thầy/Cô";
  const doc = await createSchoolAdmin(deps.models).addStaff({ schoolId: input.schoolId, fullName, title });
  return { id: doc._id };
}

/** The roles the office gives by a code from the console (a homeroom class is assigned instead). */
export const OFFICE_ROLES = STAFF_ROLES.filter((r) => r !== "homeroom-teacher");

/** An invite code that links a staff member to a school role; undefined for another school's staff or a wrong role. */
export async function staffRoleCode(deps: StaffDeps, input: { schoolId: string; staffId: string; role: string }): Promise<{ code: string; expiresAt: Date } | undefined> {
  const staff = await deps.models.Staff.findById(input.staffId).lean();
  if (!staff || staff.schoolId !== input.schoolId || !(OFFICE_ROLES as readonly string[]).includes(input.role)) return undefined;
  const row = await createSchoolAdmin(deps.models, () => deps.clock.now()).issueStaffCode({ schoolId: input.schoolId, staffId: staff._id, role: input.role as StaffRole, ttlDays: deps.ttlDays });
  return { code: row.code, expiresAt: row.expiresAt };
}

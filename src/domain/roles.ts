/** A staff member's recorded title: "Thầy" (thay), "Cô" (co), or not recorded (none). See `src/domain/address.ts`. */
export type StaffTitle = "thay" | "co" | "none";

/** Staff roles a person can hold at a school. */
export const STAFF_ROLES = ["homeroom-teacher", "principal", "vice-principal", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Positions on a parent board (Ban đại diện cha mẹ học sinh, Circular 55/2011). */
export const BOARD_POSITIONS = ["head", "deputy", "member"] as const;
export type BoardPosition = (typeof BOARD_POSITIONS)[number];

/** What an invite code grants when redeemed. */
export type InviteGrant =
  | { kind: "guardian"; studentId: string }
  | { kind: "staff"; role: StaffRole; staffId: string; classGroupId: string }
  | { kind: "board"; scope: "class" | "school"; position: BoardPosition; classGroupId: string; studentId: string };

/** A summary of who somebody is, computed from their links; drives the role-aware menu. */
export interface Roles {
  guardianOf: { studentId: string; studentName: string; classGroupId: string; className: string; schoolId: string }[];
  /** `title`: the staff member's recorded form of address (see `src/domain/address.ts`); absent means not recorded. */
  staff: { role: StaffRole; schoolId: string; classGroupId: string; className: string; staffName: string; title?: StaffTitle }[];
  board: { scope: "class" | "school"; position: BoardPosition; schoolId: string; classGroupId: string; className: string }[];
}

export const NO_ROLES: Roles = { guardianOf: [], staff: [], board: [] };

/** True when the person holds any role at all (is linked). */
export function isLinked(roles: Roles): boolean {
  return roles.guardianOf.length + roles.staff.length + roles.board.length > 0;
}

/** True for homeroom teachers, principals and vice-principals. */
export function isStaff(roles: Roles): boolean {
  return roles.staff.some((s) => s.role !== "admin");
}

/** Max guardians who may link with one student's code (two parents by default). */
export const DEFAULT_GUARDIAN_SLOTS = 2;

/** True for the school's principal or a vice-principal (Ban giám hiệu). */
export function leadsSchool(roles: Roles, schoolId: string): boolean {
  return roles.staff.some((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === schoolId);
}

/** True for the class's homeroom teacher. */
export function teachesClass(roles: Roles, classGroupId: string): boolean {
  return roles.staff.some((s) => s.role === "homeroom-teacher" && s.classGroupId === classGroupId);
}

/**
 * A parent board's term is its school year (Circular 55/2011 Art. 3): its members hold their
 * rights until that year is archived by the rollover (final-grade boards end with it too). The
 * year's end date is not used: the rollover is the school's own act of closing the year.
 */
export function boardTermIsCurrent(year: { archived?: boolean | null } | undefined): boolean {
  return Boolean(year) && !year!.archived;
}

/** Size of a class board and its fixed positions (Circular 55/2011 Art. 3): 3–5 guardians, one head, one deputy. */
export const CLASS_BOARD_MIN = 3;
export const CLASS_BOARD_MAX = 5;

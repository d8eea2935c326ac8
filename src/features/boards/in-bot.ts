/**
 * The class board recorded in the bot (issue 13: "in the console or the bot"). Who may record
 * it is decided here — the class's current homeroom teacher, or the school's BGH — and the
 * recording itself is the console's use case, `recordClassBoard` (one list per board version).
 */
import { leadsSchool, teachesClass, type Roles } from "../../domain/roles.js";
import { classBoardEntity } from "../../store/versioned-facts.js";
import type { StaffDeps } from "../staff/deps.js";
import { classBoardCandidates, currentBoard, currentYearOf, recordClassBoard, type BoardCandidate, type BoardResult, type BoardSeat } from "./boards.js";
import type { BoardActor, BoardClass, BoardHousehold, ClassBoardChoice } from "./port.js";

type Deps = Pick<StaffDeps, "models">;

/** The class and its year when `roles` may record its board (homeroom teacher or BGH, year not archived). */
export async function classToRecord(deps: Deps, roles: Roles, classGroupId: string): Promise<BoardClass & { schoolId: string } | undefined> {
  const c = classGroupId ? await deps.models.ClassGroup.findById(classGroupId).lean() : undefined;
  if (!c || !(teachesClass(roles, c._id) || leadsSchool(roles, c.schoolId))) return undefined;
  const year = await deps.models.SchoolYear.findById(c.yearId).lean();
  if (!year || year.archived) return undefined;
  return { classGroupId: c._id, className: c.name, yearName: year.name, schoolId: c.schoolId };
}

/** Every class whose board the person may record: their homeroom classes, then (for BGH) the school's current classes. */
export async function boardClassesFor(deps: Deps, actor: BoardActor): Promise<BoardClass[]> {
  if (!actor.identityId) return [];
  const ids = actor.roles.staff.filter((s) => s.role === "homeroom-teacher").map((s) => s.classGroupId);
  for (const schoolId of new Set(actor.roles.staff.filter((s) => leadsSchool(actor.roles, s.schoolId)).map((s) => s.schoolId))) {
    const year = await currentYearOf(deps, schoolId);
    const classes = year ? await deps.models.ClassGroup.find({ schoolId, yearId: year._id }).lean() : [];
    ids.push(...classes.sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, "vi")).map((c) => c._id));
  }
  const out: BoardClass[] = [];
  for (const id of new Set(ids)) {
    const c = await classToRecord(deps, actor.roles, id);
    if (c) out.push({ classGroupId: c.classGroupId, className: c.className, yearName: c.yearName });
  }
  return out;
}

/** The guardians to choose from, by pupil name (two guardians of one pupil numbered 1, 2). */
export async function classBoardChoice(deps: Deps, actor: BoardActor, classGroupId: string): Promise<ClassBoardChoice | undefined> {
  const c = actor.identityId ? await classToRecord(deps, actor.roles, classGroupId) : undefined;
  if (!c) return undefined;
  // By pupil name (the console's order); a pupil's guardians in the order they linked.
  const perPupil = new Map<string, BoardCandidate[]>();
  for (const g of await classBoardCandidates(deps, c.classGroupId)) perPupil.set(g.studentId, [...(perPupil.get(g.studentId) ?? []), g]);
  const links = await deps.models.GuardianLink.find({ studentId: { $in: [...perPupil.keys()] } }).lean();
  const linkedAt = new Map(links.map((l) => [`${l.identityId}|${l.studentId}`, new Date(l.createdAt).getTime()]));
  const at = (g: BoardCandidate) => linkedAt.get(`${g.identityId}|${g.studentId}`) ?? 0;
  // Two pupils of one name (kept apart by the roster import) are told apart by birth date or code.
  const pupils = await deps.models.Student.find({ _id: { $in: [...perPupil.keys()] } }).lean();
  const named = (name: string) => pupils.filter((p) => p.fullName === name).length;
  const apart = new Map(pupils.map((p) => [p._id, named(p.fullName) > 1 ? p.dateOfBirth || p.studentCode : ""]));
  const households: BoardHousehold[] = [...perPupil.values()].flatMap((gs) => gs.sort((x, y) => at(x) - at(y))
    .map((g, k) => ({ identityId: g.identityId, studentId: g.studentId, studentName: g.studentName, nth: gs.length > 1 ? k + 1 : 0, apart: apart.get(g.studentId) ?? "" })));
  const { version } = await currentBoard(deps, classBoardEntity(c.classGroupId));
  return { board: { classGroupId: c.classGroupId, className: c.className, yearName: c.yearName }, version, households };
}

/** Records the class board as the console does, for the homeroom teacher or BGH only. */
export async function recordClassBoardAs(deps: StaffDeps, actor: BoardActor, input: { classGroupId: string; seats: BoardSeat[]; seen: number }): Promise<BoardResult | { status: "not-allowed" }> {
  const c = actor.identityId ? await classToRecord(deps, actor.roles, input.classGroupId) : undefined;
  if (!c || !actor.identityId) return { status: "not-allowed" };
  return recordClassBoard(deps, { schoolId: c.schoolId, classGroupId: c.classGroupId, seats: input.seats, by: actor.identityId, seen: input.seen });
}

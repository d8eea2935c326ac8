/**
 * The school board recorded in the bot (as the class board is, in-bot.ts). Who may record it is
 * decided here — the school's BGH (principal or vice-principal, `leadsSchool`), as the console
 * lets only a principal's session post it — and the recording itself is the console's use case,
 * `recordSchoolBoard`: its members drawn from the class boards' heads and deputies, one head,
 * at least one deputy, one list per board version.
 */
import { leadsSchool, type Roles } from "../../domain/roles.js";
import { schoolBoardEntity } from "../../store/versioned-facts.js";
import type { StaffDeps } from "../staff/deps.js";
import { currentBoard, currentYearOf, recordSchoolBoard, schoolBoardCandidates, type BoardResult, type BoardSeat } from "./boards.js";
import type { BoardActor, BoardSchool, SchoolBoardChoice } from "./port.js";

type Deps = Pick<StaffDeps, "models">;

/** The school and its current year when `roles` may record its board (BGH, a year not archived). */
export async function schoolToRecord(deps: Deps, roles: Roles, schoolId: string): Promise<(BoardSchool & { yearId: string }) | undefined> {
  if (!schoolId || !leadsSchool(roles, schoolId)) return undefined;
  const [school, year] = await Promise.all([deps.models.School.findById(schoolId).lean(), currentYearOf(deps, schoolId)]);
  if (!school || !year) return undefined;
  return { schoolId, schoolName: school.name, yearName: year.name, yearId: year._id };
}

/** Every school whose board the person may record: the schools they lead, with a current year. */
export async function boardSchoolsFor(deps: Deps, actor: BoardActor): Promise<BoardSchool[]> {
  if (!actor.identityId) return [];
  const out: BoardSchool[] = [];
  for (const schoolId of new Set(actor.roles.staff.map((s) => s.schoolId))) {
    const s = await schoolToRecord(deps, actor.roles, schoolId);
    if (s) out.push({ schoolId: s.schoolId, schoolName: s.schoolName, yearName: s.yearName });
  }
  return out;
}

/** The class heads and deputies to choose from, by class then pupil name (no messenger names). */
export async function schoolBoardChoice(deps: Deps, actor: BoardActor, schoolId: string): Promise<SchoolBoardChoice | undefined> {
  const s = actor.identityId ? await schoolToRecord(deps, actor.roles, schoolId) : undefined;
  if (!s) return undefined;
  const rows = (await schoolBoardCandidates(deps, schoolId)).map((g) => ({ identityId: g.identityId, studentId: g.studentId, studentName: g.studentName, className: g.className }));
  const { version } = await currentBoard(deps, schoolBoardEntity(schoolId, s.yearId));
  return { board: { schoolId, schoolName: s.schoolName, yearName: s.yearName }, version, rows };
}

/** Records the school board as the console does, for the school's BGH only. */
export async function recordSchoolBoardAs(deps: StaffDeps, actor: BoardActor, input: { schoolId: string; seats: BoardSeat[]; seen: number }): Promise<BoardResult | { status: "not-allowed" }> {
  const s = actor.identityId ? await schoolToRecord(deps, actor.roles, input.schoolId) : undefined;
  if (!s || !actor.identityId) return { status: "not-allowed" };
  return recordSchoolBoard(deps, { schoolId: s.schoolId, seats: input.seats, by: actor.identityId, seen: input.seen });
}

/**
 * Parent boards (Ban đại diện cha mẹ học sinh, Circular 55/2011). After the start-of-year
 * meeting the homeroom teacher records the class board: 3–5 guardians of the class, one head,
 * one deputy, the rest members. The principal then forms the school board from the class
 * heads and deputies: one head, at least one deputy, standing members if needed.
 *
 * A board is the versioned fact `board:class:<class>#v<n>` or `board:school:<school>:<year>#v<n>`
 * (src/store/versioned-facts.ts): two people recording the same board at once compete for one
 * version, and exactly one list is kept. The winner writes the projection — the
 * `BoardMembership` documents of that board, with the board's school year — and tells the
 * chosen guardians (and those no longer on it) in the bot. A term ends with its school year:
 * `rolesOf` counts a membership only while its year is not archived (a class board's year is
 * its class's), and a rollover ends the boards by archiving the year.
 */
import { CLASS_BOARD_MAX, CLASS_BOARD_MIN, type BoardPosition } from "../../domain/roles.js";
import { compareVietnameseNames } from "../../domain/text.js";
import { say } from "../../engine/say.js";
import { decideTransition } from "../../store/facts.js";
import { personIdsOf, samePersonAs } from "../../store/people.js";
import { classBoardEntity, latestOf, schoolBoardEntity } from "../../store/versioned-facts.js";
import { audit, tell, type StaffDeps } from "../staff/deps.js";

export interface BoardSeat {
  identityId: string;
  /** The child through whom the guardian sits on the board. */
  studentId: string;
  position: BoardPosition;
}

/** A guardian who may be chosen, as the console lists them. */
export interface BoardCandidate extends BoardSeat {
  studentName: string;
  className: string;
  displayName: string;
}

export type BoardProblem = "size" | "head" | "deputy" | "not-eligible" | "duplicate";

export type BoardResult =
  | { status: "recorded"; version: number; told: number }
  | { status: "changed-meanwhile"; version: number }
  | { status: "invalid"; problem: BoardProblem }
  | { status: "not-found" };

/** What is wrong with a class board's list, if anything (3–5 guardians, exactly one head and one deputy). */
export function checkClassBoard(seats: BoardSeat[]): BoardProblem | undefined {
  if (seats.length < CLASS_BOARD_MIN || seats.length > CLASS_BOARD_MAX) return "size";
  return checkPositions(seats, (n) => n === 1);
}

/** What is wrong with a school board's list (one head, at least one deputy). */
export function checkSchoolBoard(seats: BoardSeat[]): BoardProblem | undefined {
  return checkPositions(seats, (n) => n >= 1);
}

function checkPositions(seats: BoardSeat[], deputies: (n: number) => boolean): BoardProblem | undefined {
  if (new Set(seats.map((s) => s.identityId)).size !== seats.length) return "duplicate";
  if (seats.filter((s) => s.position === "head").length !== 1) return "head";
  if (!deputies(seats.filter((s) => s.position === "deputy").length)) return "deputy";
  return undefined;
}

/** The guardians linked to the class's pupils (one row per guardian and child), by child's name. */
export async function classBoardCandidates(deps: Pick<StaffDeps, "models">, classGroupId: string): Promise<BoardCandidate[]> {
  const c = await deps.models.ClassGroup.findById(classGroupId).lean();
  const pupils = await deps.models.Student.find({ classGroupId, leftAt: null }).lean();
  // One row per person and child: a guardian paired on two messengers (/kenh) is one candidate, by the messenger linked first.
  const all = (await deps.models.GuardianLink.find({ studentId: { $in: pupils.map((p) => p._id) } }).lean()).sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  const personOfId = await personIdsOf(deps.models, all.map((l) => l.identityId));
  const seen = new Set<string>();
  const links = all.filter((l) => { const k = `${personOfId.get(l.identityId)}|${l.studentId}`; return !seen.has(k) && Boolean(seen.add(k)); });
  const people = new Map((await deps.models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) } }).lean()).map((i) => [i._id, i.displayName]));
  const board = new Map((await currentBoard(deps, classBoardEntity(classGroupId))).seats.map((s) => [`${s.identityId}|${s.studentId}`, s.position]));
  return links.map((l) => ({
    identityId: l.identityId, studentId: l.studentId, position: board.get(`${l.identityId}|${l.studentId}`) ?? "member",
    studentName: pupils.find((p) => p._id === l.studentId)?.fullName ?? "", className: c?.name ?? "", displayName: people.get(l.identityId) ?? "",
  })).sort((a, b) => compareVietnameseNames(a.studentName, b.studentName));
}

/** A board's current list and version ("seats" empty before it was first recorded). */
export async function currentBoard(deps: Pick<StaffDeps, "models">, entity: string): Promise<{ version: number; seats: BoardSeat[] }> {
  const v = await latestOf<{ seats: BoardSeat[] }>(deps.models, entity);
  return { version: v.version, seats: v.current?.seats ?? [] };
}

/** The school's current year: the newest one not archived. */
export async function currentYearOf(deps: Pick<StaffDeps, "models">, schoolId: string) {
  const years = await deps.models.SchoolYear.find({ schoolId, archived: { $ne: true } }).lean();
  return years.sort((a, b) => b.name.localeCompare(a.name))[0];
}

/** Records the class board; `seen` is the board version the teacher's page showed. */
export async function recordClassBoard(deps: StaffDeps, input: { schoolId: string; classGroupId: string; seats: BoardSeat[]; by: string; seen?: number }): Promise<BoardResult> {
  const c = await deps.models.ClassGroup.findById(input.classGroupId).lean();
  const year = c ? await deps.models.SchoolYear.findById(c.yearId).lean() : undefined;
  if (!c || c.schoolId !== input.schoolId || !year || year.archived) return { status: "not-found" };
  const problem = checkClassBoard(input.seats);
  if (problem) return { status: "invalid", problem };
  const eligible = new Set((await classBoardCandidates(deps, c._id)).map((g) => `${g.identityId}|${g.studentId}`));
  if (input.seats.some((s) => !eligible.has(`${s.identityId}|${s.studentId}`))) return { status: "invalid", problem: "not-eligible" };
  return decide(deps, { entity: classBoardEntity(c._id), schoolId: c.schoolId, scope: "class", classGroupId: c._id, className: c.name, year, seats: input.seats, by: input.by, seen: input.seen });
}

/** The class heads and deputies of the school's current year: whom the school board is formed from. */
export async function schoolBoardCandidates(deps: Pick<StaffDeps, "models">, schoolId: string): Promise<BoardCandidate[]> {
  const year = await currentYearOf(deps, schoolId);
  if (!year) return [];
  const classes = await deps.models.ClassGroup.find({ schoolId, yearId: year._id }).lean();
  const out: BoardCandidate[] = [];
  const school = new Map((await currentBoard(deps, schoolBoardEntity(schoolId, year._id))).seats.map((s) => [s.identityId, s.position]));
  for (const c of classes.sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, "vi"))) {
    const seats = (await currentBoard(deps, classBoardEntity(c._id))).seats.filter((s) => s.position !== "member");
    const [pupils, people] = await Promise.all([
      deps.models.Student.find({ _id: { $in: seats.map((s) => s.studentId) } }).lean(),
      deps.models.ChannelIdentity.find({ _id: { $in: seats.map((s) => s.identityId) } }).lean(),
    ]);
    for (const s of seats) out.push({ ...s, position: school.get(s.identityId) ?? "member", className: c.name,
      studentName: pupils.find((p) => p._id === s.studentId)?.fullName ?? "", displayName: people.find((p) => p._id === s.identityId)?.displayName ?? "" });
  }
  return out;
}

/** Records the school board of the current year; `seen` as for a class board. */
export async function recordSchoolBoard(deps: StaffDeps, input: { schoolId: string; seats: BoardSeat[]; by: string; seen?: number }): Promise<BoardResult> {
  const year = await currentYearOf(deps, input.schoolId);
  if (!year) return { status: "not-found" };
  const problem = checkSchoolBoard(input.seats);
  if (problem) return { status: "invalid", problem };
  const eligible = new Set((await schoolBoardCandidates(deps, input.schoolId)).map((g) => `${g.identityId}|${g.studentId}`));
  if (input.seats.some((s) => !eligible.has(`${s.identityId}|${s.studentId}`))) return { status: "invalid", problem: "not-eligible" };
  return decide(deps, { entity: schoolBoardEntity(input.schoolId, year._id), schoolId: input.schoolId, scope: "school", classGroupId: "", className: "", year, seats: input.seats, by: input.by, seen: input.seen });
}

type Decide = { entity: string; schoolId: string; scope: "class" | "school"; classGroupId: string; className: string; year: { _id: string; name: string }; seats: BoardSeat[]; by: string; seen?: number };

/** The contested part: one list per board version; the winner projects it and tells people. */
async function decide(deps: StaffDeps, d: Decide): Promise<BoardResult> {
  const before = await currentBoard(deps, d.entity);
  const slot = d.seen ?? before.version;
  if (slot !== before.version) return { status: "changed-meanwhile", version: before.version };
  const decided = await decideTransition(deps.models, { entity: d.entity, slot: `v${slot}`, kind: "board-recorded", actor: d.by, at: deps.clock.now(), data: { seats: d.seats } });
  if (!decided.won) return { status: "changed-meanwhile", version: slot + 1 };
  // The projection: this board's memberships (a school board replaces every earlier one of the school).
  await deps.models.BoardMembership.deleteMany(d.scope === "class" ? { schoolId: d.schoolId, scope: "class", classGroupId: d.classGroupId } : { schoolId: d.schoolId, scope: "school" });
  // A member paired on several messengers (/kenh) holds the seat on each of them.
  const holders = await Promise.all(d.seats.map(async (s) => (await samePersonAs(deps.models, s.identityId)).map((identityId) => ({ ...s, identityId }))));
  await deps.models.BoardMembership.insertMany(holders.flat().map((s) => ({ ...s, schoolId: d.schoolId, scope: d.scope, classGroupId: d.classGroupId, yearId: d.year._id })));
  const version = slot + 1;
  const pupils = new Map((await deps.models.Student.find({ _id: { $in: d.seats.map((s) => s.studentId) } }).lean()).map((p) => [p._id, p.fullName]));
  const group = `board-${d.entity}`;
  let told = 0;
  for (const s of d.seats)
    if (await tell(deps, group, `${group}-v${version}-${s.identityId}`, s.identityId, [say("board-chosen", { student: pupils.get(s.studentId) ?? "", position: s.position, scope: d.scope, className: d.className, year: d.year.name })])) told++;
  const kept = new Set(d.seats.map((s) => s.identityId));
  for (const s of before.seats.filter((x) => !kept.has(x.identityId)))
    await tell(deps, group, `${group}-v${version}-left-${s.identityId}`, s.identityId, [say("board-left", { scope: d.scope, className: d.className })]);
  await audit(deps, d.by, "board-recorded", d.entity, { version, members: d.seats.length });
  return { status: "recorded", version, told };
}

/** The boards port (what flows see) over the use cases of boards.ts, in-bot.ts and school-in-bot.ts. */
import type { StaffDeps } from "../staff/deps.js";
import { boardClassesFor, classBoardChoice, recordClassBoardAs } from "./in-bot.js";
import { boardSchoolsFor, recordSchoolBoardAs, schoolBoardChoice } from "./school-in-bot.js";
import type { BoardsPort } from "./port.js";

export function createBoardsPort(deps: StaffDeps): BoardsPort {
  return {
    classesFor: (actor) => boardClassesFor(deps, actor),
    classChoice: (actor, classGroupId) => classBoardChoice(deps, actor, classGroupId),
    recordClass: (actor, input) => recordClassBoardAs(deps, actor, input),
    schoolsFor: (actor) => boardSchoolsFor(deps, actor),
    schoolChoice: (actor, schoolId) => schoolBoardChoice(deps, actor, schoolId),
    recordSchool: (actor, input) => recordSchoolBoardAs(deps, actor, input),
  };
}

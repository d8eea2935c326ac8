/** The boards port (what flows see) over the use cases of boards.ts and in-bot.ts. */
import type { StaffDeps } from "../staff/deps.js";
import { boardClassesFor, classBoardChoice, recordClassBoardAs } from "./in-bot.js";
import type { BoardsPort } from "./port.js";

export function createBoardsPort(deps: StaffDeps): BoardsPort {
  return {
    classesFor: (actor) => boardClassesFor(deps, actor),
    classChoice: (actor, classGroupId) => classBoardChoice(deps, actor, classGroupId),
    recordClass: (actor, input) => recordClassBoardAs(deps, actor, input),
  };
}

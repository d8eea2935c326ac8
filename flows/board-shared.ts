/**
 * What the class-board and school-board flows share: who is asking, a chosen line of the
 * numbered list (`Row`: identity, pupil, the line's label), the confirmation's one choice and
 * the seats a confirmed list records.
 */
import type { Choice, FlowContext } from "./kit.js";
import type { BoardActor } from "../src/features/boards/port.js";
import type { BoardPosition } from "../src/domain/roles.js";

/** One line of the list to choose from: identity `i`, pupil `s`, label `n` (kept short in the conversation's data). */
export type Row = { i: string; s: string; n: string };

export const boardActorOf = (ctx: Omit<FlowContext, "data">): BoardActor => ({ ...(ctx.person.identityId ? { identityId: ctx.person.identityId } : {}), roles: ctx.person.roles });

/** A seat button's id (`g<line>`) back to the line's index. */
export const pickedLine = (id: string) => Number(id.slice(1));

/** *Ghi nhận* under the summary (typed: "ghi nhan", "co", "dong y"). */
export const RECORD_CHOICES: Choice[] = [{ id: "record", label: { key: "board-confirm-record" }, aliases: ["ghi nhan", "co", "dong y", "record", "yes"] }];

/** The seats of the chosen lines, each in the position `positionOf` gives it. */
export const seatsOf = (rows: Row[], picked: number[], positionOf: (line: number) => BoardPosition) =>
  picked.map((p) => ({ identityId: rows[p]!.i, studentId: rows[p]!.s, position: positionOf(p) }));

/**
 * BGH (the principal or a vice-principal) records the school parents' board in the bot
 * (Circular 55/2011 Art. 3: elected by the meeting of the class boards' heads and deputies; one
 * head, deputies and standing members as that meeting decides). Its structure is the class
 * board's (class-board.ts): the class heads and deputies are chosen by their pupil's name and
 * class from a numbered list — never by phone number or messenger handle — then the head, the
 * deputies, and a summary to confirm. The recording is the console's use case
 * (`recordSchoolBoard`, one list per board version); it tells the chosen their role and those
 * who left the board that their term ended.
 *
 * Started from the menu (*Ban đại diện trường*), or by the `bs-<school>` button (also under the
 * menu of a school-wide start-of-year meeting, *Ghi nhận Ban đại diện trường*, shown to BGH only).
 */
import { ask, defineFlow, end, go, readNumbers, reprompt, switchTo, type ActionHandler, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import { SCHOOL_BOARD_PAYLOAD_PREFIX } from "../src/features/boards/port.js";
import type { BoardPosition } from "../src/domain/roles.js";
import { boardActorOf, pickedLine, RECORD_CHOICES, seatsOf, type Row } from "./board-shared.js";

/** A class head or deputy of the list: identity, student, and the label shown ("<pupil> (<class>)"). */
type Data = { schoolId?: string; schoolName?: string; year?: string; seen?: number; rows?: Row[]; picked?: number[]; head?: number; deputies?: number[] };
type Step = "pickSchool" | "pickMembers" | "pickHead" | "pickDeputies" | "confirm";

const notAllowed = () => end(say("board-school-not-allowed"));
/** A head and at least one deputy (the console's rule, `checkSchoolBoard`). */
const SCHOOL_BOARD_MIN = 2;

/** Reads the class heads and deputies and asks for the members (or says why the board cannot be recorded yet). */
async function openSchool(ctx: Omit<FlowContext, "data">, schoolId: string): Promise<Transition<Step>> {
  const choice = await ctx.services.boards.schoolChoice(boardActorOf(ctx), schoolId);
  if (!choice) return notAllowed();
  const { board, rows, version } = choice;
  const people = new Set(rows.map((r) => r.identityId)).size;
  if (people < SCHOOL_BOARD_MIN) return end(say("board-school-too-few", { year: board.yearName, count: people }));
  return go("pickMembers", {
    schoolId: board.schoolId, schoolName: board.schoolName, year: board.yearName, seen: version,
    rows: rows.map((r): Row => ({ i: r.identityId, s: r.studentId, n: `${r.studentName} (${r.className})` })),
  });
}

const label = (data: Data, p: number) => data.rows![p]!.n;
const othersThanHead = (data: Data) => (data.picked ?? []).filter((p) => p !== data.head);

export const schoolBoard = defineFlow<Data, Step>({
  id: "school-board",
  version: 1,
  start: async (schoolId, ctx) => {
    const schools = await ctx.services.boards.schoolsFor(boardActorOf(ctx));
    if (schoolId.trim()) return schools.some((s) => s.schoolId === schoolId.trim()) ? openSchool(ctx, schoolId.trim()) : notAllowed();
    if (schools.length === 0) return notAllowed();
    if (schools.length === 1) return openSchool(ctx, schools[0]!.schoolId);
    return go("pickSchool", {});
  },
  steps: {
    pickSchool: ask.choice({
      prompt: say("board-school-pick-school"),
      perRow: 1,
      choices: async (ctx) => (await ctx.services.boards.schoolsFor(boardActorOf(ctx))).map((s) => ({ id: s.schoolId, label: { key: "board-school-button", args: { schoolName: s.schoolName } } })),
      onAnswer: (schoolId, ctx) => openSchool(ctx, schoolId),
    }),
    pickMembers: ask.text({
      prompt: ({ data }) => say("board-school-pick-members", { schoolName: data.schoolName!, year: data.year!, list: data.rows!.map((r, k) => `${k + 1}. ${r.n}`).join("\n") }),
      maxLength: 400,
      onAnswer: (text, { data }) => {
        const numbers = readNumbers(text, data.rows!.length);
        if (!numbers || numbers.length < SCHOOL_BOARD_MIN) return reprompt(say("board-school-pick-count", { count: data.rows!.length }));
        const chosen = numbers.map((n) => n - 1);
        // A person heading or deputising two class boards is listed twice: name every line of theirs that was chosen.
        const twice = chosen.filter((p) => chosen.filter((q) => data.rows![q]!.i === data.rows![p]!.i).length > 1);
        if (twice.length > 0) return reprompt(say("board-school-same-person", { names: twice.map((p) => label(data, p)).join(", ") }));
        return go("pickHead", { ...data, picked: chosen });
      },
    }),
    pickHead: ask.choice({
      prompt: say("board-pick-head"),
      perRow: 1,
      choices: ({ data }): Choice[] => (data.picked ?? []).map((p) => ({ id: `g${p}`, label: { key: "board-seat-button", args: { student: label(data, p) } } })),
      onAnswer: (id, { data }) => {
        const next = { ...data, head: pickedLine(id) };
        // Two people: the other one is the deputy (a school board needs at least one).
        return othersThanHead(next).length === 1 ? go("confirm", { ...next, deputies: othersThanHead(next) }) : go("pickDeputies", next);
      },
    }),
    pickDeputies: ask.text({
      prompt: ({ data }) => say("board-school-pick-deputies", { list: othersThanHead(data).map((p, k) => `${k + 1}. ${label(data, p)}`).join("\n") }),
      maxLength: 200,
      onAnswer: (text, { data }) => {
        const rest = othersThanHead(data);
        const numbers = readNumbers(text, rest.length);
        if (!numbers) return reprompt(say("board-school-deputies-again", { count: rest.length }));
        return go("confirm", { ...data, deputies: numbers.map((n) => rest[n - 1]!) });
      },
    }),
    confirm: ask.choice({
      prompt: ({ data }) => {
        const names = (ps: number[]) => ps.map((p) => label(data, p)).join(", ");
        const members = othersThanHead(data).filter((p) => !data.deputies!.includes(p));
        return say("board-school-confirm", {
          schoolName: data.schoolName!, year: data.year!, head: label(data, data.head!),
          deputies: names(data.deputies!), deputyCount: data.deputies!.length, members: names(members), memberCount: members.length,
        });
      },
      choices: RECORD_CHOICES,
      onAnswer: async (_id, ctx) => {
        const { data } = ctx;
        const position = (p: number): BoardPosition => (p === data.head ? "head" : data.deputies!.includes(p) ? "deputy" : "member");
        const seats = seatsOf(data.rows!, data.picked!, position);
        const r = await ctx.services.boards.recordSchool(boardActorOf(ctx), { schoolId: data.schoolId!, seats, seen: data.seen! });
        const where = { schoolName: data.schoolName!, year: data.year! };
        if (r.status === "recorded") return end(say("board-school-recorded", { ...where, told: r.told, count: seats.length }));
        if (r.status === "changed-meanwhile") return end(say("board-school-changed-meanwhile", where));
        if (r.status === "invalid") return end(say("board-school-list-changed", where));
        return r.status === "not-allowed" ? notAllowed() : end(say("board-school-no-year", where));
      },
    }),
  },
});

/** The `bs-<school>` button: opens the flow for that school (the flow checks who may). */
export const schoolBoardActions: ActionHandler[] = [
  { prefix: SCHOOL_BOARD_PAYLOAD_PREFIX, handle: (payload) => switchTo(schoolBoard.id, payload.slice(SCHOOL_BOARD_PAYLOAD_PREFIX.length)) },
];

/**
 * The homeroom teacher (or BGH) records the class parents' board in the bot (Circular 55/2011:
 * 3–5 guardians elected at the start-of-year meeting, a head and a deputy). Guardians are
 * chosen by their pupil's name from a numbered list — never by phone number or messenger
 * handle — then the head, the deputy, and a summary to confirm. The recording is the console's
 * use case (`recordClassBoard`, one list per board version); it tells the chosen guardians
 * their role and those who left the board that their term ended.
 *
 * Started from the menu, or by the `bd-<class>` button (the meeting menu of a start-of-year meeting).
 */
import { ask, defineFlow, end, go, readNumbers, reprompt, switchTo, type ActionHandler, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import { BOARD_PAYLOAD_PREFIX, type BoardClass } from "../src/features/boards/port.js";
import { CLASS_BOARD_MAX, CLASS_BOARD_MIN, type BoardPosition } from "../src/domain/roles.js";
import { boardActorOf, pickedLine, RECORD_CHOICES, seatsOf, type Row } from "./board-shared.js";

/** A guardian of the list: identity, student, and the label shown (the pupil's name, numbered when a pupil has two). */
type Data = { classGroupId?: string; className?: string; year?: string; seen?: number; rows?: Row[]; picked?: number[]; head?: number; deputy?: number };
type Step = "pickClass" | "pickMembers" | "pickHead" | "pickDeputy" | "confirm";

const notAllowed = () => end(say("board-not-allowed"));

/** Reads the class's guardians and asks for the members (or says why the board cannot be recorded yet). */
async function openClass(ctx: Omit<FlowContext, "data">, classGroupId: string): Promise<Transition<Step>> {
  const choice = await ctx.services.boards.classChoice(boardActorOf(ctx), classGroupId);
  if (!choice) return notAllowed();
  const { board, households, version } = choice;
  if (households.length < CLASS_BOARD_MIN) return end(say("board-too-few", { className: board.className, count: households.length }));
  const rows = households.map((h): Row => ({ i: h.identityId, s: h.studentId, n: `${h.studentName}${h.apart ? `, ${dayFirst(h.apart)}` : ""}${h.nth ? ` (${h.nth})` : ""}` }));
  return go("pickMembers", { classGroupId: board.classGroupId, className: board.className, year: board.yearName, seen: version, rows });
}

/** A stored date of birth ("2014-03-12") as Vietnamese readers write it ("12/03/2014"); a pupil code unchanged. */
const dayFirst = (apart: string) => apart.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$3/$2/$1");

const seatChoices = (data: Data, except?: number): Choice[] =>
  (data.picked ?? []).filter((p) => p !== except).map((p) => ({ id: `g${p}`, label: { key: "board-seat-button", args: { student: data.rows![p]!.n } } }));

export const classBoard = defineFlow<Data, Step>({
  id: "class-board",
  version: 1,
  start: async (classGroupId, ctx) => {
    const classes: BoardClass[] = await ctx.services.boards.classesFor(boardActorOf(ctx));
    if (classGroupId.trim()) return classes.some((c) => c.classGroupId === classGroupId.trim()) ? openClass(ctx, classGroupId.trim()) : notAllowed();
    if (classes.length === 0) return notAllowed();
    if (classes.length === 1) return openClass(ctx, classes[0]!.classGroupId);
    return go("pickClass", {});
  },
  steps: {
    pickClass: ask.choice({
      prompt: say("board-pick-class"),
      perRow: 3,
      choices: async (ctx) => (await ctx.services.boards.classesFor(boardActorOf(ctx))).map((c) => ({ id: c.classGroupId, label: { key: "board-class-button", args: { className: c.className } } })),
      onAnswer: (classGroupId, ctx) => openClass(ctx, classGroupId),
    }),
    pickMembers: ask.text({
      prompt: ({ data }) => say("board-pick-members", { className: data.className!, year: data.year!, list: data.rows!.map((r, k) => `${k + 1}. ${r.n}`).join("\n") }),
      maxLength: 200,
      onAnswer: (text, { data }) => {
        const numbers = readNumbers(text, data.rows!.length);
        if (!numbers || numbers.length < CLASS_BOARD_MIN || numbers.length > CLASS_BOARD_MAX) return reprompt(say("board-pick-count", { count: data.rows!.length }));
        const chosen = numbers.map((n) => n - 1);
        const twice = chosen.filter((p, k) => chosen.findIndex((q) => data.rows![q]!.i === data.rows![p]!.i) !== k);
        if (twice.length > 0) return reprompt(say("board-pick-same-person", { names: twice.map((p) => data.rows![p]!.n).join(", ") }));
        return go("pickHead", { ...data, picked: chosen });
      },
    }),
    pickHead: ask.choice({
      prompt: say("board-pick-head"),
      perRow: 1,
      choices: ({ data }) => seatChoices(data),
      onAnswer: (id, { data }) => go("pickDeputy", { ...data, head: pickedLine(id) }),
    }),
    pickDeputy: ask.choice({
      prompt: say("board-pick-deputy"),
      perRow: 1,
      choices: ({ data }) => seatChoices(data, data.head),
      onAnswer: (id, { data }) => go("confirm", { ...data, deputy: pickedLine(id) }),
    }),
    confirm: ask.choice({
      prompt: ({ data }) => {
        const name = (p: number | undefined) => data.rows![p!]!.n;
        const members = data.picked!.filter((p) => p !== data.head && p !== data.deputy).map(name);
        return say("board-confirm", { className: data.className!, year: data.year!, head: name(data.head), deputy: name(data.deputy), members: members.join(", "), memberCount: members.length });
      },
      choices: RECORD_CHOICES,
      onAnswer: async (_id, ctx) => {
        const { data } = ctx;
        const position = (p: number): BoardPosition => (p === data.head ? "head" : p === data.deputy ? "deputy" : "member");
        const seats = seatsOf(data.rows!, data.picked!, position);
        const r = await ctx.services.boards.recordClass(boardActorOf(ctx), { classGroupId: data.classGroupId!, seats, seen: data.seen! });
        const where = { className: data.className!, year: data.year! };
        if (r.status === "recorded") return end(say("board-recorded", { ...where, told: r.told, count: seats.length }));
        if (r.status === "changed-meanwhile") return end(say("board-changed-meanwhile", where));
        if (r.status === "invalid") return end(say("board-list-changed", where));
        return r.status === "not-allowed" ? notAllowed() : end(say("board-no-year", where));
      },
    }),
  },
});

/** The `bd-<class>` button: opens the flow for that class (the flow checks who may). */
export const classBoardActions: ActionHandler[] = [
  { prefix: BOARD_PAYLOAD_PREFIX, handle: (payload) => switchTo(classBoard.id, payload.slice(BOARD_PAYLOAD_PREFIX.length)) },
];

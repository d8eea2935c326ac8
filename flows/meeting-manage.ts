/**
 * Managing one meeting (organizer): tally per student name, nudge non-responders (once a
 * day), reschedule, cancel, mark held (optional attendance: all present, or the numbers of
 * the absent pupils) with minutes, questions, opinions after the meeting, CSV export (sent as text),
 * and for a draft the board asked to revise: new agenda and/or place, then send again.
 * A start-of-year meeting also opens the board recording: a class meeting the class board, a
 * school-wide one (for BGH only) the school board.
 * After each action the menu comes back with the updated summary (in place of the message whose
 * button was pressed, on Telegram), so the next action is one tap away; *Xong* leaves.
 */
import { ask, choiceAction, defineFlow, end, go, readNumbers, reprompt, scopedChoice, switchTo, type Choice, type FlowContext } from "./kit.js";
import { dateArg, say, type Say } from "../src/engine/say.js";
import { meetingArgs, type ChangeResult, type Tally } from "../src/features/meetings/port.js";
import { actorOf, readWhen, retypedWhen, whenChoices } from "./meeting-shared.js";
import { boardPayload, schoolBoardPayload } from "../src/features/boards/port.js";
import { leadsSchool } from "../src/domain/roles.js";
import { oaRouteArgs } from "../src/domain/oa-route-counts.js";

type Data = { id?: string; at?: string; absent?: string[]; agenda?: string; place?: string };
type Step = "menu" | "askWhen" | "confirmWhen" | "askReason" | "askAttendance" | "askAbsent" | "askMinutes" | "reviseWhat" | "askAgenda" | "askPlace";

const ACTIONS: Record<string, string[]> = {
  published: ["tally", "nudge", "reschedule", "questions", "export", "held", "cancel"],
  draft: ["resubmit", "reschedule", "cancel"],
  "pending-board": ["reschedule", "cancel"],
  held: ["tally", "opinions", "questions", "export"],
  cancelled: [],
};

const listOf = (items: { studentName?: string; text: string }[]) =>
  items.map((q, i) => `${i + 1}. ${q.studentName ? `[${q.studentName}] ` : ""}${q.text}`).join("\n");

/** "An, Bình" per answer; reasons in brackets. Names only: never a guardian's identity. */
export function tallySay(t: Tally): Say {
  const names = (answer: string, withReason = false) =>
    t.rows.filter((r) => r.answer === answer).map((r) => (withReason && r.reason ? `${r.studentName} (${r.reason})` : r.studentName)).join(", ") || "—";
  // Households that have not answered, by whether the invitation could reach them.
  const silent = (reach: string) => t.rows.filter((r) => r.answer === "none" && r.reach === reach).map((r) => r.studentName).join(", ") || "—";
  return say("meeting-tally", {
    ...meetingArgs(t.meeting), yes: t.counts.yes, no: t.counts.no, other: t.counts.other, none: t.counts.none,
    yesNames: names("yes"), noNames: names("no", true), otherNames: names("other"), noneNames: silent("reachable"),
    notLinked: t.counts.notLinked, notLinkedNames: silent("not-linked"), blocked: t.counts.blocked, blockedNames: silent("blocked"),
    ...oaRouteArgs(t.oa), remindersMissed: t.remindersMissed.length, remindersMissedNames: t.remindersMissed.join(", ") || "—",
  });
}

const actor = (ctx: Omit<FlowContext, "data">) => actorOf(ctx)!;

/** Back to the menu (with the meeting's updated summary), after saying `says`. */
const menu = ({ id }: Data, ...says: Say[]) => go("menu", { id: id! }, ...says);

const changed = (data: Data, r: ChangeResult | { status: "not-found" }, done: (r: Extract<ChangeResult, { status: "ok" }>) => Say) =>
  r.status === "ok" ? menu(data, done(r)) : r.status === "closed" ? menu(data, say("meeting-closed")) : end(say("meeting-not-found"));

export const meetingManage = defineFlow<Data, Step>({
  id: "meeting-manage",
  version: 4,
  start: async (id, ctx) => {
    const a = actorOf(ctx);
    const t = a ? await ctx.services.meetings.tally(a, id) : undefined;
    if (!t) return end(say("meeting-not-found"));
    return go("menu", { id });
  },
  steps: {
    // The summary and the actions in one message; shown again after every action.
    menu: ask.choice({
      prompt: async (ctx) => {
        const t = await ctx.services.meetings.tally(actor(ctx), ctx.data.id!);
        if (!t) return say("meeting-not-found");
        const summary = { ...meetingArgs(t.meeting), status: t.meeting.status, yes: t.counts.yes, no: t.counts.no, other: t.counts.other, none: t.counts.none, unreachable: t.counts.notLinked + t.counts.blocked, remindersMissed: t.remindersMissed.length };
        return { ...say("meeting-manage-menu", summary), inPlace: true };
      },
      perRow: 2,
      cancel: false, // the menu has its own *Xong*
      choices: async (ctx): Promise<Choice[]> => {
        const t = await ctx.services.meetings.tally(actor(ctx), ctx.data.id!);
        const actions = (ACTIONS[t?.meeting.status ?? ""] ?? []).map((id): Choice => ({ id, label: { key: "meeting-action", args: { action: id } } }));
        // After the start-of-year class meeting (where the board is elected): record the class board.
        const board: Choice[] = t?.meeting.kind === "start-year" && t.meeting.classGroupId && ["published", "held"].includes(t.meeting.status)
          ? [{ id: "board", label: { key: "meeting-action-board" }, payload: boardPayload(t.meeting.classGroupId) }] : [];
        // After the school-wide one (the parents' conference that forms the school board): BGH record the school board.
        const schoolId = t?.meeting.scope === "school" ? t.meeting.schoolId : undefined;
        const schoolBoard: Choice[] = t?.meeting.kind === "start-year" && schoolId && ["published", "held"].includes(t.meeting.status) && leadsSchool(ctx.person.roles, schoolId)
          ? [{ id: "school-board", label: { key: "meeting-action-school-board" }, payload: schoolBoardPayload(schoolId) }] : [];
        const all: Choice[] = [...actions, ...board, ...schoolBoard, { id: "done", label: { key: "meeting-action-done" }, aliases: ["xong", "done", "thoat"] }];
        return all.map((c) => ({ ...c, id: scopedChoice(c.id, ctx.data.id!) }));
      },
      onAnswer: async (choice, ctx) => {
        const { data, services } = ctx;
        const id = data.id!;
        switch (choiceAction(choice)) {
          case "done":
            return end(say("meeting-manage-done"));
          case "board": {
            // Typed rather than pressed (the button itself sends `bd-<class>`).
            const t = await services.meetings.tally(actor(ctx), id);
            return t?.meeting.classGroupId ? switchTo("class-board", t.meeting.classGroupId) : end(say("meeting-not-found"));
          }
          case "school-board": {
            // Typed rather than pressed (the button itself sends `bs-<school>`); the flow refuses anybody but BGH.
            const t = await services.meetings.tally(actor(ctx), id);
            return t?.meeting.scope === "school" && t.meeting.schoolId ? switchTo("school-board", t.meeting.schoolId) : end(say("meeting-not-found"));
          }
          case "tally": {
            const t = await services.meetings.tally(actor(ctx), id);
            return t ? menu(data, tallySay(t)) : end(say("meeting-not-found"));
          }
          case "nudge": {
            const r = await services.meetings.nudge(actor(ctx), id);
            if (r.status === "not-found") return end(say("meeting-not-found"));
            return menu(data, r.status === "sent" ? say("meeting-nudged", { households: r.households }) : say(r.status === "already-today" ? "meeting-nudge-once-a-day" : "meeting-closed"));
          }
          case "questions": {
            const qs = await services.meetings.questions(actor(ctx), id);
            if (!qs) return end(say("meeting-not-found"));
            return menu(data, qs.length === 0 ? say("meeting-questions-none") : say("meeting-questions-list", { count: qs.length, list: listOf(qs) }));
          }
          case "opinions": {
            const os = await services.meetings.opinions(actor(ctx), id);
            if (!os) return end(say("meeting-not-found"));
            return menu(data, os.length === 0 ? say("meeting-opinions-none") : say("meeting-opinions-list", { count: os.length, list: listOf(os) }));
          }
          case "export": {
            const csv = await services.meetings.exportCsv(actor(ctx), id);
            return csv ? menu(data, say("meeting-export", { csv })) : end(say("meeting-not-found"));
          }
          case "reschedule":
            return go("askWhen", data);
          case "cancel":
            return go("askReason", data);
          case "held":
            return go("askAttendance", data);
          default:
            return go("reviseWhat", data);
        }
      },
    }),
    askWhen: ask.text({
      prompt: say("meeting-ask-new-when"),
      maxLength: 80,
      onAnswer: (text, ctx) => readWhen(text, ctx, "confirmWhen"),
    }),
    confirmWhen: ask.choice({
      prompt: ({ data }) => say("meeting-when-confirm", { when: dateArg(new Date(data.at!)) }),
      choices: whenChoices,
      onOtherText: (text, ctx) => retypedWhen(text, ctx, "confirmWhen"),
      onAnswer: async (c, ctx) => {
        if (c === "no") return go("askWhen", ctx.data);
        const r = await ctx.services.meetings.reschedule(actor(ctx), ctx.data.id!, new Date(ctx.data.at!));
        return changed(ctx.data, r, (ok) => say("meeting-rescheduled-done", { ...meetingArgs(ok.meeting), households: ok.households }));
      },
    }),
    askReason: ask.text({
      prompt: say("meeting-ask-cancel-reason"),
      maxLength: 300,
      onAnswer: async (reason, ctx) =>
        changed(ctx.data, await ctx.services.meetings.cancel(actor(ctx), ctx.data.id!, reason), (ok) => say("meeting-cancelled-done", { ...meetingArgs(ok.meeting), households: ok.households })),
    }),
    askAttendance: ask.choice({
      prompt: say("meeting-ask-attendance"),
      perRow: 1,
      choices: [
        { id: "all", label: { key: "meeting-attendance-all" }, aliases: ["tat ca", "du", "co mat du", "all"] },
        { id: "some", label: { key: "meeting-attendance-some" }, aliases: ["co em vang", "vang", "absent"] },
        { id: "skip", label: { key: "meeting-attendance-skip" }, aliases: ["bo qua", "khong", "skip"] },
      ],
      onAnswer: (c, { data }) => {
        const { absent: _absent, ...rest } = data;
        if (c === "all") return go("askMinutes", { ...rest, absent: [] });
        if (c === "some") return go("askAbsent", rest);
        return go("askMinutes", rest);
      },
    }),
    askAbsent: ask.text({
      prompt: async (ctx) => {
        const sheet = await ctx.services.meetings.attendanceSheet(actor(ctx), ctx.data.id!);
        const students = sheet?.students ?? [];
        const declined = students.map((s, i) => (s.answer === "no" ? String(i + 1) : "")).filter(Boolean).join(", ");
        return say("meeting-ask-absent", { list: students.map((s, i) => `${i + 1}. ${s.studentName}`).join("\n"), declined: declined || "—" });
      },
      maxLength: 500,
      onAnswer: async (text, ctx) => {
        const sheet = await ctx.services.meetings.attendanceSheet(actor(ctx), ctx.data.id!);
        if (!sheet) return end(say("meeting-not-found"));
        const numbers = readNumbers(text, sheet.students.length);
        if (!numbers) return reprompt(say("meeting-absent-invalid", { count: sheet.students.length }));
        const absent = numbers.map((n) => sheet.students[n - 1]!);
        return go("askMinutes", { ...ctx.data, absent: absent.map((s) => s.studentId) },
          say("meeting-attendance-noted", { present: sheet.students.length - absent.length, absent: absent.length, names: absent.map((s) => s.studentName).join(", ") }));
      },
    }),
    askMinutes: ask.text({
      prompt: say("meeting-ask-minutes"),
      maxLength: 3000,
      onAnswer: async (minutes, ctx) => {
        const attendance = ctx.data.absent ? { absent: ctx.data.absent } : undefined;
        return changed(ctx.data, await ctx.services.meetings.markHeld(actor(ctx), ctx.data.id!, minutes, attendance),
          (ok) => say("meeting-held-done", { ...meetingArgs(ok.meeting), households: ok.households, attendance: attendance ? "yes" : "no" }));
      },
    }),
    // A draft the board asked to revise: change the agenda and/or the place, then send it again.
    reviseWhat: ask.choice({
      prompt: async (ctx) => {
        const t = await ctx.services.meetings.tally(actor(ctx), ctx.data.id!);
        return say("meeting-revise-prompt", { place: ctx.data.place ?? t?.meeting.place ?? "", agenda: ctx.data.agenda ?? t?.meeting.agenda ?? "" });
      },
      perRow: 1,
      choices: [
        { id: "agenda", label: { key: "meeting-revise-agenda" }, aliases: ["noi dung", "sua noi dung"] },
        { id: "place", label: { key: "meeting-revise-place" }, aliases: ["dia diem", "sua dia diem"] },
        { id: "send", label: { key: "meeting-revise-send" }, aliases: ["gui", "gui lai"] },
      ],
      onAnswer: async (c, ctx) => {
        if (c === "agenda") return go("askAgenda", ctx.data);
        if (c === "place") return go("askPlace", ctx.data);
        const changes = { ...(ctx.data.agenda ? { agenda: ctx.data.agenda } : {}), ...(ctx.data.place ? { place: ctx.data.place } : {}) };
        const r = await ctx.services.meetings.resubmit(actor(ctx), ctx.data.id!, changes);
        if (r.status === "sent-to-board") return menu(ctx.data, say("meeting-sent-to-board", meetingArgs(r.meeting)));
        if (r.status === "published") return menu(ctx.data, say("meeting-published-no-board", { ...meetingArgs(r.meeting), households: r.households }));
        return end(say("meeting-not-found"));
      },
    }),
    askAgenda: ask.text({
      prompt: say("meeting-ask-agenda"),
      maxLength: 1500,
      onAnswer: (agenda, { data }) => go("reviseWhat", { ...data, agenda }),
    }),
    askPlace: ask.text({
      prompt: say("meeting-ask-place"),
      maxLength: 200,
      onAnswer: (place, { data }) => go("reviseWhat", { ...data, place }),
    }),
  },
});

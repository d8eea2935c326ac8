/**
 * Creating a meeting: scope (a homeroom teacher's class; a principal's grade or school), kind,
 * date and time (shown back as "Thứ Bảy, 19/09/2026 lúc 19:30" for confirmation), place,
 * agenda, review. Then it goes to the board head, or is published directly when there is none.
 */
import { ask, defineFlow, end, go, type Choice, type FlowContext } from "./kit.js";
import { dateArg, say } from "../src/engine/say.js";
import { meetingArgs, type MeetingKind, type MeetingScope } from "../src/features/meetings/port.js";
import { actorOf, kindChoices, readWhen, retypedWhen, whenChoices, yesNo } from "./meeting-shared.js";

type Data = { schoolId?: string; scope?: MeetingScope; kind?: MeetingKind; at?: string; place?: string; agenda?: string };
type Step = "askScope" | "askGrade" | "askKind" | "askWhen" | "confirmWhen" | "askPlace" | "askAgenda" | "review";

/** The scopes this person may organize: their homeroom classes, and grade/school for principals. */
function scopeChoices(ctx: Omit<FlowContext, "data">): Choice[] {
  const staff = ctx.person.roles.staff;
  const classes: Choice[] = staff.filter((s) => s.role === "homeroom-teacher")
    .map((s) => ({ id: `c:${s.classGroupId}`, label: { key: "meeting-scope-class", args: { className: s.className } } }));
  const principal = staff.find((s) => s.role === "principal" || s.role === "vice-principal");
  return principal ? [...classes, { id: "grade", label: { key: "meeting-scope-grade" } }, { id: "school", label: { key: "meeting-scope-school" } }] : classes;
}

function schoolOf(ctx: Omit<FlowContext, "data">, classGroupId?: string): string {
  const staff = ctx.person.roles.staff;
  return (classGroupId ? staff.find((s) => s.classGroupId === classGroupId) : staff.find((s) => s.role === "principal" || s.role === "vice-principal"))?.schoolId ?? staff[0]?.schoolId ?? "";
}

const draftArgs = (d: Data) => ({ kind: d.kind ?? "other", scope: d.scope?.kind ?? "class", scopeName: "", when: dateArg(new Date(d.at ?? 0)), place: d.place ?? "", agenda: d.agenda ?? "" });

export const meetingCreate = defineFlow<Data, Step>({
  id: "meeting-create",
  version: 1,
  start: (_args, ctx) => {
    const choices = scopeChoices(ctx);
    if (choices.length === 0) return end(say("meeting-not-organizer"));
    if (choices.length === 1 && choices[0]!.id.startsWith("c:")) {
      const classGroupId = choices[0]!.id.slice(2);
      return go("askKind", { schoolId: schoolOf(ctx, classGroupId), scope: { kind: "class", classGroupId } });
    }
    return go("askScope", {});
  },
  steps: {
    askScope: ask.choice({
      prompt: say("meeting-ask-scope"),
      perRow: 1,
      choices: (ctx) => scopeChoices(ctx),
      onAnswer: (id, ctx) => {
        if (id === "grade") return go("askGrade", { schoolId: schoolOf(ctx) });
        if (id === "school") return go("askKind", { schoolId: schoolOf(ctx), scope: { kind: "school" } });
        const classGroupId = id.slice(2);
        return go("askKind", { schoolId: schoolOf(ctx, classGroupId), scope: { kind: "class", classGroupId } });
      },
    }),
    askGrade: ask.text({
      prompt: say("meeting-ask-grade"),
      maxLength: 2,
      onAnswer: (text, { data }) => {
        const grade = Number(text);
        if (!Number.isInteger(grade) || grade < 1 || grade > 12) return go("askGrade", data, say("meeting-grade-invalid"));
        return go("askKind", { ...data, scope: { kind: "grade", grade } });
      },
    }),
    askKind: ask.choice({
      prompt: say("meeting-ask-kind"),
      perRow: 1,
      choices: kindChoices,
      onAnswer: (kind, { data }) => go("askWhen", { ...data, kind: kind as MeetingKind }),
    }),
    askWhen: ask.text({
      prompt: say("meeting-ask-when"),
      maxLength: 80,
      onAnswer: (text, ctx) => readWhen(text, ctx, "confirmWhen"),
    }),
    confirmWhen: ask.choice({
      prompt: ({ data }) => say("meeting-when-confirm", { when: dateArg(new Date(data.at!)) }),
      choices: whenChoices,
      onOtherText: (text, ctx) => retypedWhen(text, ctx, "confirmWhen"),
      onAnswer: (c, { data }) => go(c === "yes" ? "askPlace" : "askWhen", data),
    }),
    askPlace: ask.text({
      prompt: say("meeting-ask-place"),
      maxLength: 200,
      onAnswer: (place, { data }) => go("askAgenda", { ...data, place }),
    }),
    askAgenda: ask.text({
      prompt: say("meeting-ask-agenda"),
      maxLength: 1500,
      onAnswer: (agenda, { data }) => go("review", { ...data, agenda }),
    }),
    review: ask.choice({
      prompt: ({ data }) => say("meeting-review", draftArgs(data)),
      choices: yesNo("meeting-review-send", "meeting-review-discard"),
      onAnswer: async (c, ctx) => {
        const { data } = ctx;
        if (c === "no") return end(say("meeting-discarded"));
        const actor = actorOf(ctx);
        if (!actor || !data.scope || !data.kind || !data.at) return end(say("meeting-not-organizer"));
        const result = await ctx.services.meetings.create(actor, {
          schoolId: data.schoolId ?? "", scope: data.scope, kind: data.kind, startsAt: new Date(data.at), place: data.place ?? "", agenda: data.agenda ?? "",
        }, ctx.event.id);
        if (result.status === "forbidden") return end(say("meeting-not-organizer"));
        if (result.status === "sent-to-board") return end(say("meeting-sent-to-board", meetingArgs(result.meeting)));
        return end(say("meeting-published-no-board", { ...meetingArgs(result.meeting), households: result.households }));
      },
    }),
  },
});

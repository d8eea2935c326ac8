/**
 * The organizer's side of an opinion round: every opinion in one list (anonymous ones
 * without a name), the CSV export (sent as a text message: the CSV itself, ready to paste
 * into a spreadsheet), closing the round with the summary to participants.
 */
import { ask, choiceAction, defineFlow, end, go, scopedChoice, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say, type Say } from "../src/engine/say.js";
import { roundArgs, type RoundSummary } from "../src/features/opinions/index.js";
import { actorOf, shortLabel } from "./poll-shared.js";

type Data = { roundId?: string; open?: boolean };

const summaryArgs = (s: RoundSummary) => ({ ...roundArgs(s.round), opinions: s.opinions, households: s.households, anonymous: s.anonymous, named: s.named });

async function showList(roundId: string, ctx: Omit<FlowContext, "data">): Promise<Transition<"manage">> {
  const r = await ctx.services.polls.opinions(actorOf(ctx)!, roundId);
  if (!r) return end(say("opinion-not-found"));
  const lines = r.opinions.map((o, i) => `${i + 1}. [${o.studentName || "—"}] ${o.text}`).join("\n\n");
  const list: Say = r.opinions.length === 0
    ? say("opinion-list-empty", roundArgs(r.round))
    : say("opinion-list", { ...roundArgs(r.round), count: r.opinions.length, lines, status: r.round.status });
  return go("manage", { roundId, open: r.round.status === "open" }, list);
}

export const opinionManage = defineFlow<Data, "pick" | "manage">({
  id: "opinion-manage",
  version: 1,
  start: async (args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("poll-not-linked"));
    const mine = await ctx.services.polls.listOrganizedRounds(actor);
    if (mine.length === 0) return end(say("opinion-none-organized"));
    if (mine.some((r) => r.id === args)) return showList(args, ctx);
    return go("pick", {});
  },
  steps: {
    pick: ask.choice({
      prompt: say("opinion-pick-prompt"),
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> =>
        (await ctx.services.polls.listOrganizedRounds(actorOf(ctx)!)).map((r) => ({ id: r.id, label: { text: `${r.status === "open" ? "🟢" : "⚪"} ${shortLabel(r.topic)}` } })),
      onAnswer: (id, ctx) => showList(id, ctx),
    }),
    manage: ask.choice({
      prompt: say("opinion-manage-prompt"),
      perRow: 1,
      cancel: false, // *Xong* leaves
      choices: ({ data }): Choice[] => [
        { id: "export", label: { key: "opinion-manage-export" as const }, aliases: ["xuat", "csv", "export"] },
        ...(data.open ? [{ id: "close", label: { key: "opinion-manage-close" as const }, aliases: ["dong", "ket thuc", "close"] }] : []),
        { id: "done", label: { key: "poll-manage-done" as const }, aliases: ["xong", "done"] },
      ].map((c) => ({ ...c, id: scopedChoice(c.id, data.roundId!) })),
      onAnswer: async (choice, ctx) => {
        const id = choiceAction(choice);
        const actor = actorOf(ctx)!;
        const roundId = ctx.data.roundId!;
        if (id === "done") return end(say("poll-done"));
        if (id === "export") {
          const csv = await ctx.services.polls.exportOpinionsCsv(actor, roundId);
          if (csv === undefined) return end(say("opinion-not-found"));
          return go("manage", ctx.data, say("opinion-export", { csv }));
        }
        const r = await ctx.services.polls.closeRound(actor, roundId);
        if (r.status === "not-found") return end(say("opinion-not-found"));
        return end(say(r.status === "closed" ? "opinion-closed-early" : "opinion-already-closed"), say("opinion-summary", summaryArgs(r.summary)));
      },
    }),
  },
});

/**
 * A sender's notice: the delivery report per household (reached, being sent, failed,
 * unreachable, confirmed, not yet confirmed — by student name), one-tap *Nhắc lại* for the
 * households that have not confirmed, cancelling a scheduled notice, refreshing the report.
 */
import { ask, defineFlow, end, go, type Choice } from "./kit.js";
import { say } from "../src/engine/say.js";
import { noticeReportKey } from "../src/features/notices/port.js";
import { parseRenotifyChoice, reportChoices, reportSay } from "../src/features/notices/messages.js";
import { actorOf } from "./notice-shared.js";

/** `fresh`: the report was just opened, so it is sent as a new message (later ones edit it). */
type Data = { id?: string; fresh?: boolean };
type Step = "menu";

export const noticeManage = defineFlow<Data, Step>({
  id: "notice-manage",
  version: 1,
  start: async (args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor || !args || !(await ctx.services.broadcast.report(actor, args))) return end(say("notice-not-found"));
    return go("menu", { id: args, fresh: true });
  },
  steps: {
    menu: ask.choice({
      prompt: async (ctx) => {
        const r = await ctx.services.broadcast.report(actorOf(ctx)!, ctx.data.id!);
        if (!r) return say("notice-not-found");
        return { ...reportSay(r), replaceKey: noticeReportKey(r.notice.id), ...(ctx.data.fresh ? { replaceFresh: true } : {}) };
      },
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> => {
        return reportChoices(await ctx.services.broadcast.report(actorOf(ctx)!, ctx.data.id!));
      },
      onAnswer: async (c, ctx) => {
        const actor = actorOf(ctx)!;
        const id = ctx.data.id!;
        const data: Data = { id };
        if (c === "done") return end(say("notice-manage-done"));
        if (c === "refresh") return go("menu", data);
        if (c === "cancel") {
          const r = await ctx.services.broadcast.cancel(actor, id);
          if (r.status === "cancelled") return end(say("notice-cancelled"));
          if (r.status === "already-sent") return go("menu", data, say("notice-cancel-too-late"));
          return end(say("notice-not-found"));
        }
        const r = await ctx.services.broadcast.renotify(actor, id, parseRenotifyChoice(c) ?? 0);
        if (r.status === "sent" || r.status === "already") return go("menu", data, say("notice-renotified", { households: r.households }));
        if (r.status === "nothing-to-do") return go("menu", data, say("notice-renotify-nothing"));
        if (r.status === "not-sent-yet") return go("menu", data, say("notice-renotify-not-sent"));
        return end(say("notice-not-found"));
      },
    }),
  },
});

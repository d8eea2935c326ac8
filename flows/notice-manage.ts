/**
 * A sender's notice: the delivery report per household (reached, being sent, failed,
 * unreachable, confirmed, not yet confirmed — by student name), one-tap *Nhắc lại* for the
 * households that have not confirmed, cancelling a scheduled notice, refreshing the report.
 * Every report button names its notice: it acts on the notice it was shown under, also from a
 * report pushed while another notice is open (`nr-` actions).
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import { noticeReportKey } from "../src/features/notices/port.js";
import { parseReportChoice, REPORT_ACTION_PREFIX, reportChoices, reportSay, type ReportAction } from "../src/features/notices/messages.js";
import { actorOf } from "./notice-shared.js";

/** `fresh`: the report was just opened, so it is sent as a new message (later ones edit it). */
type Data = { id?: string; fresh?: boolean };
type Step = "menu";

/** Runs one report action on its own notice; the report is shown again in place. */
async function act(a: ReportAction, ctx: Omit<FlowContext<Data>, "data">): Promise<Transition<Step>> {
  const actor = actorOf(ctx)!;
  const id = a.noticeId;
  const data: Data = { id };
  if (a.action === "done") return end(say("notice-manage-done"));
  if (a.action === "refresh") return go("menu", data);
  if (a.action !== "renotify") {
    const r = await ctx.services.broadcast.cancel(actor, id);
    if (r.status === "cancelled") return end(say("notice-cancelled"));
    if (r.status === "already-sent") return go("menu", data, say("notice-cancel-too-late"));
    return end(say("notice-not-found"));
  }
  const r = await ctx.services.broadcast.renotify(actor, id, a.round);
  if (r.status === "sent" || r.status === "already") return go("menu", data, say("notice-renotified", { households: r.households }));
  if (r.status === "nothing-to-do") return go("menu", data, say("notice-renotify-nothing"));
  if (r.status === "not-sent-yet") return go("menu", data, say("notice-renotify-not-sent"));
  return end(say("notice-not-found"));
}

export const noticeManage = defineFlow<Data, Step>({
  id: "notice-manage",
  version: 2,
  /** `args`: "<notice id>" opens the report; "<notice id> <choice id>" runs a report button's action. */
  start: async (args, ctx) => {
    const [id, choice] = args.split(" ");
    const actor = actorOf(ctx);
    if (!actor || !id || !(await ctx.services.broadcast.report(actor, id))) return end(say("notice-not-found"));
    const a = choice ? parseReportChoice(choice) : undefined;
    if (a && a.noticeId === id) return act(a, ctx);
    return go("menu", { id, fresh: true });
  },
  steps: {
    menu: ask.choice({
      prompt: async (ctx) => {
        const r = await ctx.services.broadcast.report(actorOf(ctx)!, ctx.data.id!);
        if (!r) return say("notice-not-found");
        return { ...reportSay(r), replaceKey: noticeReportKey(r.notice.id), ...(ctx.data.fresh ? { replaceFresh: true } : { inPlace: true }) };
      },
      perRow: 1,
      cancel: false, // the report has its own *Xong*
      choices: async (ctx): Promise<Choice[]> => reportChoices(await ctx.services.broadcast.report(actorOf(ctx)!, ctx.data.id!)),
      onAnswer: (c, ctx) => {
        const a = parseReportChoice(c);
        return a ? act(a, ctx) : end(say("notice-not-found"));
      },
    }),
  },
});

/** A button under a pushed report: "nr-<choice id>" acts on the notice named in it. */
export const reportAction: ActionHandler = {
  prefix: REPORT_ACTION_PREFIX,
  handle: (payload) => {
    const choice = payload.slice(REPORT_ACTION_PREFIX.length);
    const a = parseReportChoice(choice);
    return a ? switchTo("notice-manage", `${a.noticeId} ${choice}`) : end(say("notice-not-found"));
  },
};

/**
 * A sender's notice: the delivery report per household (reached, being sent, failed,
 * unreachable, confirmed, not yet confirmed — by student name), one-tap *Nhắc lại* for the
 * households that have not confirmed, cancelling a scheduled notice, refreshing the report.
 */
import { ask, defineFlow, end, go, CHOICE_PREFIX, type Choice } from "./kit.js";
import { dateArg, say, type Say, type SayButton } from "../src/engine/say.js";
import { noticeReportKey, type NoticeReport, type NoticeReportRow } from "../src/engine/ports-broadcast.js";
import { actorOf } from "./notice-shared.js";

/** `fresh`: the report was just opened, so it is sent as a new message (later ones edit it). */
type Data = { id?: string; fresh?: boolean };
type Step = "menu";

/** Names shown per list before "… and N more" (a school-wide report stays readable). */
const MAX_NAMES = 40;

function names(rows: NoticeReportRow[]): string {
  if (rows.length === 0) return "—";
  const shown = rows.slice(0, MAX_NAMES).map((r) => r.studentName + (r.possibleDuplicate ? " (*)" : ""));
  return shown.join(", ") + (rows.length > MAX_NAMES ? ` (+${rows.length - MAX_NAMES})` : "");
}

/** The report as one message. */
export function reportSay(r: NoticeReport): Say {
  const n = r.notice;
  return say("notice-report", {
    kind: n.kind, scope: n.scope, scopeName: n.scopeName, status: n.status, rounds: n.rounds,
    when: dateArg(n.sentAt ?? n.sendAt ?? new Date(0)),
    deadline: n.deadline ? dateArg(n.deadline) : "",
    households: r.counts.households, reached: r.counts.reached, pending: r.counts.pending, failed: r.counts.failed,
    unreachable: r.counts.unreachable, confirmed: r.counts.confirmed, notConfirmed: r.counts.notConfirmed,
    pendingNames: names(r.rows.filter((x) => x.reach === "pending")),
    failedNames: names(r.rows.filter((x) => x.reach === "failed")),
    unreachableNames: names(r.rows.filter((x) => x.reach === "unreachable")),
    notConfirmedNames: names(r.rows.filter((x) => !x.confirmed)),
    confirmedNames: names(r.rows.filter((x) => x.confirmed)),
    duplicates: r.rows.filter((x) => x.possibleDuplicate).length,
  });
}

/** The sender's choices under a report. */
export function reportChoices(r: NoticeReport | undefined): Choice[] {
  const choices: Choice[] = [{ id: "refresh", label: { key: "notice-action-refresh" }, aliases: ["xem lai", "cap nhat"] }];
  if (r?.notice.status === "sent" && r.notice.kind === "ack" && r.counts.notConfirmed > 0)
    choices.push({ id: "renotify", label: { key: "notice-action-renotify", args: { count: r.counts.notConfirmed } }, aliases: ["nhac lai", "nhac"] });
  if (r?.notice.status === "scheduled") choices.push({ id: "cancel", label: { key: "notice-action-cancel" }, aliases: ["huy lich", "huy gui"] });
  choices.push({ id: "done", label: { key: "notice-action-done" }, aliases: ["xong", "thoat"] });
  return choices;
}

/**
 * The report as pushed when confirmations arrive: the same message and buttons as the open
 * report (one per row), replacing the report already shown in the sender's chat.
 */
export function reportRefreshSay(r: NoticeReport): Say {
  const buttons: SayButton[][] = reportChoices(r).map((c) => [{ ...c.label, payload: CHOICE_PREFIX + c.id }]);
  return { ...reportSay(r), buttons, replaceKey: noticeReportKey(r.notice.id) };
}

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
        const r = await ctx.services.broadcast.renotify(actor, id);
        if (r.status === "sent") return go("menu", data, say("notice-renotified", { households: r.households }));
        if (r.status === "nothing-to-do") return go("menu", data, say("notice-renotify-nothing"));
        if (r.status === "not-sent-yet") return go("menu", data, say("notice-renotify-not-sent"));
        return end(say("notice-not-found"));
      },
    }),
  },
});

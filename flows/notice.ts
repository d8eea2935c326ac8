/**
 * `/thongbao` (`/notice`): senders (homeroom teachers, principals) write a new notice or open
 * one of theirs (report, re-notify, cancel); guardians see the recent notices of their
 * children's classes, with the *Đã xem* button where a confirmation is still due.
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Choice, type Flow } from "./kit.js";
import { dateArg, say, type Say } from "../src/engine/say.js";
import { titleCode } from "../src/domain/address.js";
import { confirmPayload, parseConfirmPayload, type GuardianNotice } from "../src/features/notices/port.js";
import { actorOf, isSender } from "./notice-shared.js";
import { noticeCreate } from "./notice-create.js";
import { noticeManage, reportAction } from "./notice-manage.js";

const notice = defineFlow<Record<string, never>, "pick">({
  id: "notice",
  version: 1,
  start: (_args, ctx) => {
    if (!actorOf(ctx)) return end(say("notice-not-linked"));
    if (isSender(ctx)) return go("pick", {});
    return switchTo("notice-inbox");
  },
  steps: {
    pick: ask.choice({
      prompt: say("notice-sender-prompt"),
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> => {
        const mine = await ctx.services.broadcast.listSent(actorOf(ctx)!);
        return [
          { id: "new", label: { key: "notice-new" }, aliases: ["moi", "soan", "soan moi", "new"] },
          ...mine.map((n) => ({
            id: n.id,
            label: { key: "notice-item-label" as const, args: { when: dateArg(n.sentAt ?? n.sendAt ?? new Date(0), "date"), kind: n.kind, status: n.status, excerpt: excerpt(n.text) } },
          })),
          ...(ctx.person.roles.guardianOf.length > 0 ? [{ id: "inbox", label: { key: "notice-my-children" as const } }] : []),
        ];
      },
      onAnswer: (id) => (id === "new" ? switchTo("notice-create") : id === "inbox" ? switchTo("notice-inbox") : switchTo("notice-manage", id)),
    }),
  },
});

const excerpt = (text: string) => {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return [...oneLine].length > 30 ? [...oneLine].slice(0, 29).join("") + "…" : oneLine;
};

function guardianItem(g: GuardianNotice): Say {
  const n = g.notice;
  const due = n.kind === "ack" ? g.students.filter((s) => !s.confirmed) : [];
  return {
    key: "notice-guardian-item",
    args: {
      when: dateArg(n.sentAt ?? new Date(0)), kind: n.kind, scope: n.scope, scopeName: n.scopeName, text: n.text,
      deadline: n.deadline ? dateArg(n.deadline) : "", signerRole: g.signature.role, signerClass: g.signature.className,
      signerTitle: titleCode(g.signature.title), signerName: g.signature.name,
      confirmed: g.students.filter((s) => s.confirmed).map((s) => s.studentName).join(", ") || "—",
    },
    ...(due.length ? { buttons: due.map((s) => [{ key: "notice-confirm-for" as const, args: { student: s.studentName }, payload: confirmPayload(n.id, s.studentId) }]) } : {}),
    ...(n.file ? { file: n.file } : {}),
  };
}

const noticeInbox = defineFlow({
  id: "notice-inbox",
  version: 1,
  start: async (_args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("notice-not-linked"));
    const list = await ctx.services.broadcast.listForGuardian(actor);
    if (list.length === 0) return end(say("notice-none-recent"));
    return end(say("notice-inbox-intro", { count: list.length }), ...list.map(guardianItem));
  },
  steps: {},
});

/** "Đã xem" under a notice: one confirmation per (notice, student), whichever guardian presses. */
const confirmAction: ActionHandler = {
  prefix: "na-",
  handle: async (payload, ctx) => {
    const parsed = parseConfirmPayload(payload);
    const actor = actorOf(ctx);
    if (!parsed || !actor) return end(say("notice-not-found"));
    const r = await ctx.services.broadcast.confirm(actor, parsed.noticeId, parsed.studentId);
    if (r.status === "confirmed") return end(say("notice-confirmed", { student: r.studentName }));
    if (r.status === "already") return end(say("notice-already-confirmed", { student: r.studentName }));
    return end(say("notice-not-found"));
  },
};

/** The button under a sender's preview. */
const previewAction: ActionHandler = { prefix: "np-", handle: () => end(say("notice-preview-button")) };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const noticeFlows: Flow<any, any>[] = [notice, noticeCreate, noticeManage, noticeInbox];
export const noticeActions: ActionHandler[] = [confirmAction, previewAction, reportAction];

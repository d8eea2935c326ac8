/**
 * Writing a notice: scope (a homeroom teacher's class; a principal's grade or school), text,
 * an optional photo or document (PDF/DOCX/XLSX, kept as the platform's file id and resent),
 * kind (*để biết* / *cần xác nhận* with a deadline), *khẩn cấp* for principals, send now or at
 * a chosen time, then a preview exactly as families will see it, and confirmation.
 */
import { ask, defineFlow, end, go, reprompt, type Choice, type FlowContext, type Transition } from "./kit.js";
import { dateArg, say } from "../src/engine/say.js";
import {
  NOTICE_DOCUMENT_EXTENSIONS, NOTICE_MAX_DOCUMENT_BYTES, NOTICE_MAX_PHOTO_BYTES, NOTICE_MAX_TEXT,
  type NoticeDraft, type NoticeFile, type NoticeKind, type NoticeScope,
} from "../src/features/notices/port.js";
import { foldText } from "../src/domain/text.js";
import type { MessageKey } from "../src/i18n/keys.js";
import { actorOf, isPrincipal, readWhen } from "./notice-shared.js";

type Data = {
  schoolId?: string; scope?: NoticeScope; text?: string; file?: NoticeFile; kind?: NoticeKind;
  deadline?: string; urgent?: boolean; sendAt?: string;
};
type Step = "askScope" | "askGrade" | "askText" | "askFile" | "askKind" | "askDeadline" | "askUrgent" | "askWhen" | "askSendAt" | "review";

const SKIP_WORDS = new Set(["khong", "ko", "k", "bo qua", "khong co", "no", "skip", "none"]);
const MiB = 1024 * 1024;

function scopeChoices(ctx: Omit<FlowContext, "data">): Choice[] {
  const staff = ctx.person.roles.staff;
  const classes: Choice[] = staff.filter((s) => s.role === "homeroom-teacher")
    .map((s) => ({ id: `c:${s.classGroupId}`, label: { key: "notice-scope-class", args: { className: s.className } } }));
  return isPrincipal(ctx)
    ? [...classes, { id: "grade", label: { key: "notice-scope-grade" } }, { id: "school", label: { key: "notice-scope-school" } }]
    : classes;
}

function schoolOf(ctx: Omit<FlowContext, "data">, classGroupId?: string): string {
  const staff = ctx.person.roles.staff;
  return (classGroupId ? staff.find((s) => s.classGroupId === classGroupId) : staff.find((s) => s.role === "principal" || s.role === "vice-principal"))?.schoolId ?? staff[0]?.schoolId ?? "";
}

const draftOf = (d: Data): NoticeDraft => ({
  schoolId: d.schoolId ?? "", scope: d.scope ?? { kind: "school" }, kind: d.kind ?? "info", text: d.text ?? "",
  ...(d.file ? { file: d.file } : {}), ...(d.deadline ? { deadline: new Date(d.deadline) } : {}),
  urgent: d.urgent ?? false, ...(d.sendAt ? { sendAt: new Date(d.sendAt) } : {}),
});

/** Moves to the review, showing the notice exactly as the first family will get it. */
async function toReview(data: Data, ctx: FlowContext<Data>): Promise<Transition<Step>> {
  const actor = actorOf(ctx);
  if (!actor) return end(say("notice-not-sender"));
  const preview = await ctx.services.broadcast.preview(actor, draftOf(data));
  if ("status" in preview) return end(say("notice-not-sender"));
  return go("review", data, say("notice-preview-intro"), preview);
}

const withoutSendAt = ({ sendAt: _sendAt, ...rest }: Data): Data => rest;

const afterKind = (data: Data, ctx: FlowContext<Data>) => (isPrincipal(ctx) ? go<Step>("askUrgent", data) : go<Step>("askWhen", data));

const INVALID: Record<string, MessageKey> = {
  empty: "notice-text-empty",
  "deadline-past": "notice-deadline-past",
  "deadline-missing": "notice-deadline-past",
  "send-at-past": "notice-send-at-past",
  "not-urgent-allowed": "notice-urgent-principal-only",
};

export const noticeCreate = defineFlow<Data, Step>({
  id: "notice-create",
  version: 1,
  start: (_args, ctx) => {
    const choices = scopeChoices(ctx);
    if (choices.length === 0) return end(say("notice-not-sender"));
    if (choices.length === 1 && choices[0]!.id.startsWith("c:")) {
      const classGroupId = choices[0]!.id.slice(2);
      return go("askText", { schoolId: schoolOf(ctx, classGroupId), scope: { kind: "class", classGroupId } });
    }
    return go("askScope", {});
  },
  steps: {
    askScope: ask.choice({
      prompt: say("notice-ask-scope"),
      perRow: 1,
      choices: (ctx) => scopeChoices(ctx),
      onAnswer: (id, ctx) => {
        if (id === "grade") return go("askGrade", { schoolId: schoolOf(ctx) });
        if (id === "school") return go("askText", { schoolId: schoolOf(ctx), scope: { kind: "school" } });
        const classGroupId = id.slice(2);
        return go("askText", { schoolId: schoolOf(ctx, classGroupId), scope: { kind: "class", classGroupId } });
      },
    }),
    askGrade: ask.text({
      prompt: say("notice-ask-grade"),
      maxLength: 2,
      onAnswer: (text, { data }) => {
        const grade = Number(text);
        if (!Number.isInteger(grade) || grade < 1 || grade > 12) return reprompt(say("notice-grade-invalid"));
        return go("askText", { ...data, scope: { kind: "grade", grade } });
      },
    }),
    askText: ask.text({
      prompt: say("notice-ask-text", { max: NOTICE_MAX_TEXT }),
      maxLength: NOTICE_MAX_TEXT,
      onAttachment: () => reprompt(say("notice-text-first")),
      onAnswer: (text, { data }) => go("askFile", { ...data, text }),
    }),
    askFile: ask.text({
      prompt: say("notice-ask-file"),
      onAttachment: (file, { data }) => {
        const sizeMiB = Math.ceil((file.sizeBytes ?? 0) / MiB);
        if (file.media === "photo") {
          if ((file.sizeBytes ?? 0) > NOTICE_MAX_PHOTO_BYTES) return reprompt(say("notice-file-too-big", { size: sizeMiB, max: NOTICE_MAX_PHOTO_BYTES / MiB }));
          return go("askKind", { ...data, file: { media: "photo", fileRef: file.fileRef } }, say("notice-file-received-photo"));
        }
        const ext = (file.fileName ?? "").split(".").pop()?.toLowerCase() ?? "";
        if (!(NOTICE_DOCUMENT_EXTENSIONS as readonly string[]).includes(ext)) return reprompt(say("notice-file-type", { name: file.fileName ?? "" }));
        if ((file.sizeBytes ?? 0) > NOTICE_MAX_DOCUMENT_BYTES) return reprompt(say("notice-file-too-big", { size: sizeMiB, max: NOTICE_MAX_DOCUMENT_BYTES / MiB }));
        const fileName = file.fileName ?? "";
        return go("askKind", { ...data, file: { media: "document", fileRef: file.fileRef, ...(fileName ? { fileName } : {}) } }, say("notice-file-received", { name: fileName }));
      },
      onAnswer: (text, { data }) => (SKIP_WORDS.has(foldText(text).replace(/[.!]+$/, "")) ? go("askKind", data) : reprompt(say("notice-file-expected"))),
      skip: ({ data }) => go("askKind", data),
    }),
    askKind: ask.choice({
      prompt: say("notice-ask-kind"),
      perRow: 1,
      choices: [
        { id: "info", label: { key: "notice-kind-info" }, aliases: ["de biet", "biet"] },
        { id: "ack", label: { key: "notice-kind-ack" }, aliases: ["can xac nhan", "xac nhan"] },
      ],
      onAnswer: (kind, ctx) => (kind === "ack" ? go("askDeadline", { ...ctx.data, kind: "ack" }) : afterKind({ ...ctx.data, kind: "info" }, ctx)),
    }),
    askDeadline: ask.text({
      prompt: say("notice-ask-deadline"),
      maxLength: 80,
      onAnswer: (text, ctx) => readWhen(text, ctx.now, "notice-deadline-past", (at) => afterKind({ ...ctx.data, deadline: at.toISOString() }, ctx), ctx.person.timeZone),
    }),
    askUrgent: ask.choice({
      prompt: say("notice-ask-urgent"),
      perRow: 1,
      choices: [
        { id: "normal", label: { key: "notice-urgent-no" }, aliases: ["binh thuong", "khong"] },
        { id: "urgent", label: { key: "notice-urgent-yes" }, aliases: ["khan cap", "khan"] },
      ],
      onAnswer: (c, { data }) => go("askWhen", { ...data, urgent: c === "urgent" }),
    }),
    askWhen: ask.choice({
      prompt: say("notice-ask-when"),
      choices: [
        { id: "now", label: { key: "notice-when-now" }, aliases: ["ngay", "gui ngay", "now"] },
        { id: "later", label: { key: "notice-when-later" }, aliases: ["hen gio", "later"] },
      ],
      onAnswer: (c, ctx) => (c === "later" ? go("askSendAt", ctx.data) : toReview(withoutSendAt(ctx.data), ctx)),
    }),
    askSendAt: ask.text({
      prompt: say("notice-ask-send-at"),
      maxLength: 80,
      onAnswer: async (text, ctx) => {
        const r = readWhen<Step>(text, ctx.now, "notice-send-at-past", (at) => go("review", { ...ctx.data, sendAt: at.toISOString() }));
        if (r.type !== "go") return r;
        if (ctx.data.deadline && new Date(ctx.data.deadline).getTime() <= new Date((r.data as Data).sendAt!).getTime()) return reprompt(say("notice-deadline-before-send"));
        return toReview(r.data as Data, ctx);
      },
    }),
    review: ask.choice({
      prompt: ({ data }) => say("notice-review", {
        when: data.sendAt ? "later" : "now", sendAt: data.sendAt ? dateArg(new Date(data.sendAt)) : "", urgent: data.urgent ? "yes" : "no",
      }),
      choices: [
        { id: "send", label: { key: "notice-review-send" }, aliases: ["gui", "dong y", "ok", "send"] },
        { id: "discard", label: { key: "notice-review-discard" }, aliases: ["huy", "bo", "discard"] },
      ],
      onAnswer: async (c, ctx) => {
        const { data } = ctx;
        if (c === "discard") return end(say("notice-discarded"));
        const actor = actorOf(ctx);
        if (!actor) return end(say("notice-not-sender"));
        const result = await ctx.services.broadcast.create(actor, draftOf(data), ctx.event.id);
        switch (result.status) {
          case "forbidden":
            return end(say("notice-not-sender"));
          case "invalid":
            if (result.reason === "send-at-past") return go("askSendAt", data, say("notice-send-at-past"));
            if (result.reason === "deadline-past") return go("askDeadline", data, say("notice-deadline-past"));
            return end(say(INVALID[result.reason]!));
          case "scheduled":
            return end(say("notice-scheduled", { sendAt: dateArg(result.notice.sendAt!), id: result.notice.id }));
          case "sent":
            return result.deferredUntil
              ? end(say("notice-sent-deferred", { households: result.households, until: dateArg(result.deferredUntil) }))
              : end(say("notice-sent", { households: result.households }));
        }
      },
    }),
  },
});

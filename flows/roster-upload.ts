/**
 * A file sent with no conversation open: a principal's or school admin's roster (.xlsx/.csv)
 * gets the console's dry-run summary and an "apply" button; anybody else gets a kind refusal.
 */
import { ask, defineFlow, end, go } from "./kit.js";
import { say } from "../src/engine/say.js";

export const rosterUpload = defineFlow<{ uploadId?: string }, "confirm">({
  id: "roster-upload",
  version: 1,
  start: async (_args, ctx) => {
    const e = ctx.event;
    if (e.kind !== "attachment" || e.media !== "document") return end(say("common-attachment-unsupported"));
    const r = await ctx.services.roster.preview(ctx.person, { channel: e.address.channel, fileRef: e.fileRef, fileName: e.fileName ?? "", sizeBytes: e.sizeBytes ?? 0 });
    switch (r.status) {
      case "not-allowed": return end(say("roster-upload-not-allowed"));
      case "no-year": return end(say("roster-upload-no-year"));
      case "bad-file": return end(say("roster-upload-bad-file", { reason: r.reason, detail: r.detail || "-" }));
      case "ok": return go("confirm", { uploadId: r.uploadId }, say("roster-upload-summary", {
        file: r.fileName, year: r.yearName, created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, lines: r.rejectedLines, missing: r.missing,
      }));
    }
  },
  steps: {
    confirm: ask.choice({
      prompt: say("roster-upload-confirm"),
      perRow: 1,
      choices: [
        { id: "apply", label: { key: "roster-upload-apply" }, aliases: ["ap dung", "apply", "co", "yes"] },
        { id: "cancel", label: { key: "roster-upload-cancel" }, aliases: ["huy", "khong", "cancel", "no"] },
      ],
      onAnswer: async (choice, ctx) => {
        if (choice === "cancel") return end(say("roster-upload-cancelled"));
        const r = await ctx.services.roster.apply(ctx.person, ctx.data.uploadId ?? "");
        if (r.status === "gone") return end(say("roster-upload-gone"));
        return end(say("roster-upload-applied", { created: r.created, updated: r.updated, rejected: r.rejected }));
      },
    }),
  },
});

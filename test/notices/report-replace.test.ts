import { describe, it, expect } from "vitest";
import { isNotModified, planTelegram } from "../../src/channels/telegram/render-outbound.js";
import type { Outbound } from "../../src/engine/messages.js";

const report: Outbound = { kind: "text", text: "Báo cáo thông báo: 2 đã xác nhận", buttons: [[{ label: "🔄 Cập nhật", payload: "c-refresh" }]], replaceKey: "notice-report-n1" };

describe("Telegram: showing a message that replaces an earlier one", () => {
  it("edits the message last shown under the key, text and keyboard together, and falls back to sending it", () => {
    const plan = planTelegram(report, "42");
    expect(plan.edit).toEqual({
      method: "editMessageText",
      params: { message_id: 42, text: report.text, reply_markup: { inline_keyboard: [[{ text: "🔄 Cập nhật", callback_data: "c-refresh" }]] } },
    });
    expect(plan.send).toEqual([{ method: "sendMessage", params: { text: report.text, reply_markup: plan.edit!.params.reply_markup } }]);
    expect(plan.remember).toBe(true);
  });

  it("sends a new message (and remembers it) when nothing was shown under the key yet", () => {
    const plan = planTelegram(report, undefined);
    expect(plan.edit).toBeUndefined();
    expect(plan.send.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(plan.remember).toBe(true);
  });

  it("sends a new message when asked for a fresh copy, even with an earlier one on record", () => {
    const plan = planTelegram({ ...report, replaceFresh: true }, "42");
    expect(plan.edit).toBeUndefined();
    expect(plan.remember).toBe(true);
  });

  it("never edits a text too long for one message or a file: those are sent anew", () => {
    expect(planTelegram({ ...report, text: "x".repeat(5000) }, "42").edit).toBeUndefined();
    expect(planTelegram({ ...report, text: "x".repeat(5000) }, "42").send).toHaveLength(2);
    const file: Outbound = { kind: "file", media: "document", fileRef: "BQAD", caption: "c", replaceKey: "k" };
    expect(planTelegram(file, "42").edit).toBeUndefined();
  });

  it("plain messages neither edit nor get remembered", () => {
    const { replaceKey: _ignored, ...plain } = report;
    const plan = planTelegram(plain as Outbound, "42");
    expect(plan).toMatchObject({ remember: false });
    expect(plan.edit).toBeUndefined();
  });

  it("treats Telegram's 'message is not modified' as success, other 400s not", () => {
    expect(isNotModified("Bad Request: message is not modified: specified new message content and reply markup are exactly the same")).toBe(true);
    expect(isNotModified("Bad Request: message to edit not found")).toBe(false);
  });
});

import { describe, it, expect } from "vitest";
import { renderZalo } from "../../src/channels/zalo/render-outbound.js";
import { planTelegram } from "../../src/channels/telegram/render-outbound.js";

describe("edits and navigation buttons per channel", () => {
  it("Telegram settles a keyboard with editMessageReplyMarkup and edits the pressed message in place", () => {
    expect(planTelegram({ kind: "keyboard", messageRef: "18", buttons: [[{ label: "✓ Gửi", payload: "x-done" }]] })).toEqual({
      edit: { method: "editMessageReplyMarkup", params: { message_id: 18, reply_markup: { inline_keyboard: [[{ text: "✓ Gửi", callback_data: "x-done" }]] } } }, send: [], remember: false,
    });
    expect(planTelegram({ kind: "keyboard", messageRef: "18", buttons: [] }).edit).toEqual({ method: "editMessageReplyMarkup", params: { message_id: 18 } });
    const plan = planTelegram({ kind: "text", text: "Tóm tắt", editRef: "21", buttons: [[{ label: "Nhắc", payload: "c-nudge" }]] });
    expect(plan.edit).toEqual({ method: "editMessageText", params: { message_id: 21, text: "Tóm tắt", reply_markup: { inline_keyboard: [[{ text: "Nhắc", callback_data: "c-nudge" }]] } } });
    expect(plan.send).toHaveLength(1); // the fallback when the message is gone
  });

  it("Zalo shows navigation buttons as words to type, never as numbers (a typed number stays an answer)", () => {
    const r = renderZalo({ kind: "text", text: "Dạ, em nào vắng mặt ạ?", buttons: [[{ label: "↩ Quay lại", payload: "c-_back" }, { label: "✖ Hủy", payload: "c-_cancel" }]] });
    expect(r.keyboard).toEqual([]);
    expect((r.calls[0]!.params as { text: string }).text).toBe("Dạ, em nào vắng mặt ạ?\n\nGõ «quay lại», «hủy».");
    const c = renderZalo({ kind: "text", text: "Dạ, chọn ạ", buttons: [[{ label: "Có", payload: "c-yes" }], [{ label: "✖ Hủy", payload: "c-_cancel" }]] });
    expect(c.keyboard.map((b) => b.payload)).toEqual(["c-yes"]);
    expect((c.calls[0]!.params as { text: string }).text).toBe("Dạ, chọn ạ\n\n1. Có\n\nTrả lời bằng số (1).\n\nHoặc gõ «hủy».");
  });
});

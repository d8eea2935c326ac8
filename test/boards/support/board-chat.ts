/**
 * What the board e2e tests say and read in the fake Telegram chat: linking with a code (and
 * consenting when asked), a numbered list's "<n>. <label>" lines, a staff member's turns kept
 * in a transcript (checked for phone numbers and handles), waiting until someone is told
 * something, the last message's buttons, and a user's identity.
 */
import { expect } from "vitest";
import type { TestApp } from "../../support/app-harness.js";
import { eventually } from "../../support/eventually.js";
import type { TgUser } from "../../support/fake-telegram.js";

export function boardChat(app: () => TestApp, staff: TgUser[]) {
  const transcript: string[] = [];
  return {
    transcript,
    async link(user: TgUser, code: string) {
      const t = app();
      const reply = await t.say(user, `/start ${code}`);
      // A person who consented already is linked at once.
      if (/đồng ý không/.test(reply)) expect(await t.press(user, t.button(user, /Tôi đồng ý/))).toMatch(/liên kết thành công|đã xác nhận vai trò/);
    },
    /** The numbered list's "<n>. <label>" lines, label → number. */
    numbersIn: (text: string) => new Map([...text.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => [m[2]!.trim(), m[1]!])),
    async as(user: TgUser, step: { say: string } | { press: string }) {
      const t = app();
      const reply = "say" in step ? await t.say(user, step.say) : await t.press(user, step.press);
      if (staff.includes(user)) transcript.push(reply);
      return reply;
    },
    told: (user: TgUser, pattern: RegExp) => eventually(async () => app().telegram.sent({ chatId: user.id }).some((r) => pattern.test(String(r.params.text ?? ""))),
      { timeoutMs: 30_000, message: `${user.first_name} was not told ${pattern}` }),
    buttonsOf(user: TgUser) {
      const sent = app().telegram.sent({ chatId: user.id });
      const markup = sent[sent.length - 1]?.params.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined;
      return (markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    },
    identityOf: async (user: TgUser) => (await app().app.db.models.ChannelIdentity.findOne({ externalUserId: String(user.id) }).lean())!._id,
  };
}

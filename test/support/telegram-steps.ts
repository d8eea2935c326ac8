/**
 * The steps of an end-to-end story told through the fake Telegram Bot API (`startTestApp`):
 * `step` says or presses as a person and waits for the bot's message to them that matches;
 * `expectMessage` waits for such a message sent at or after `since` (an index of
 * `telegram.sent()`). `app` gives the started test app when a step runs.
 *
 * @example
 * const { step, expectMessage } = telegramSteps(() => t);
 * await step(anMom, { say: "/phananh" }, /về con nào/);
 * await step(anMom, { press: /Nguyễn Văn An/ }, /chọn loại phản ánh/);
 */
import type { TestApp } from "./app-harness.js";
import type { TgUser } from "./fake-telegram.js";

/** The text of a sent message (its caption for a photo). */
export const textOf = (r: { params: Record<string, unknown> }) => String(r.params.text ?? r.params.caption ?? "");

export function telegramSteps(app: () => TestApp) {
  const expectMessage = async (user: TgUser, pattern: RegExp, since = 0) =>
    textOf(await app().telegram.waitForSent((r) => String(r.chatId) === String(user.id) && pattern.test(textOf(r)), { since, timeoutMs: 20_000 }));
  const step = async (user: TgUser, action: { say: string } | { press: RegExp }, pattern: RegExp) => {
    const t = app();
    const since = t.telegram.sent().length;
    if ("say" in action) t.telegram.userMessage(user, action.say);
    else t.telegram.callbackQuery(user, t.button(user, action.press));
    return expectMessage(user, pattern, since);
  };
  return { expectMessage, step };
}

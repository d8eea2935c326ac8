/**
 * A typed number under a numbered list ("2", "2.", " 2 ") → a press of that list's button, for
 * channels without inline buttons (Zalo Bot, Zalo OA beyond its button limits), before the event
 * is recorded: the number shown next to a button is what it means, also during a conversation.
 * The list is the chat's last one (KeyboardMemory), while it is not older than `maxAgeMs` (a
 * week by default). A label typed under it, and a number on channels that show no numbers
 * (Telegram, the OA's real buttons: remembered with the message showing them, `messageRef`),
 * are read by the engine (`Engine.typedPress`) from the same memory: outside a step only, in
 * the order the buttons were shown, so «1» under real buttons still presses the first one, and
 * a number a step asks for ("2 người") is never taken for a button nobody numbered.
 */
import { addressKey, KEYBOARD_MAX_AGE_MS, type InboundEvent } from "../../engine/messages.js";
import type { KeyboardMemory } from "../../engine/ports.js";
import { pickByNumber } from "./render-outbound.js";

export async function resolveNumberedReply(
  event: InboundEvent,
  o: { keyboards: KeyboardMemory; now?: () => Date; maxAgeMs?: number; privateOnly?: boolean },
): Promise<InboundEvent> {
  if (event.kind !== "text" || (o.privateOnly && event.chatType !== "private") || !/^\s*\d{1,3}\s*[.!?,;:)]*\s*$/.test(event.text)) return event;
  const last = await o.keyboards.recall(addressKey(event.address));
  if (!last || last.messageRef) return event;
  const now = (o.now ?? (() => new Date()))();
  if (now.getTime() - last.sentAt.getTime() > (o.maxAgeMs ?? KEYBOARD_MAX_AGE_MS)) return event;
  const payload = pickByNumber(event.text, last.buttons);
  if (!payload) return event;
  const { text: _text, ...rest } = event;
  return { ...rest, kind: "button", payload };
}

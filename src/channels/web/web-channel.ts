/** The web playground's sender: messages are appended to a per-chat log the page polls. */
import type { Address, Outbound } from "../../engine/messages.js";
import { addressKey, pressableButtons } from "../../engine/messages.js";
import type { KeyboardMemory } from "../../engine/ports.js";
import type { Sender } from "../../engine/receiver.js";

/** Where playground messages are kept (MongoDB in the app, shared by every web process). */
export interface WebLog {
  append(chatKey: string, outbound: Outbound): Promise<number>;
}

export class WebChannel implements Sender {
  /** `keyboards`: where the last buttons sent to each chat are remembered, so a typed "1" presses one (as on Telegram). */
  constructor(private readonly log: WebLog, private readonly keyboards?: KeyboardMemory) {}

  async send(address: Address, outbound: Outbound): Promise<void> {
    if (outbound.kind === "keyboard") return; // the playground keeps old buttons; the reply tells the choice
    const chatKey = addressKey(address);
    if (outbound.buttons?.length) await this.keyboards?.remember(chatKey, pressableButtons(outbound.buttons));
    await this.log.append(chatKey, outbound);
  }
}

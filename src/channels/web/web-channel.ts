/** The web playground's sender: messages are appended to a per-chat log the page polls. */
import type { Address, Outbound } from "../../engine/messages.js";
import { addressKey } from "../../engine/messages.js";
import type { Sender } from "../../engine/receiver.js";

/** Where playground messages are kept (MongoDB in the app, shared by every web process). */
export interface WebLog {
  append(chatKey: string, outbound: Outbound): Promise<number>;
}

export class WebChannel implements Sender {
  constructor(private readonly log: WebLog) {}

  async send(address: Address, outbound: Outbound): Promise<void> {
    if (outbound.kind === "keyboard") return; // the playground keeps old buttons; the reply tells the choice
    await this.log.append(addressKey(address), outbound);
  }
}

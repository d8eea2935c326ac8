/**
 * The channel port: an adapter parses platform payloads into `InboundEvent`s for the
 * receiver and sends `Outbound`s back. Each adapter lives in its own folder with pure
 * `parse-*.ts` / `render-*.ts` and an I/O `*-channel.ts`.
 */
export type { Sender } from "../engine/receiver.js";
export { ChannelError, type ChannelErrorCode } from "../engine/errors.js";

/** A running channel: something that receives (polling, webhook) and can be stopped. */
export interface RunningChannel {
  readonly name: string;
  /** Stops intake (polling loop ends after the current batch). */
  stop(): Promise<void>;
}

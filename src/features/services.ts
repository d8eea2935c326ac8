/**
 * The app's services: what every flow may touch. The engine's own ports (`CoreServices`) plus
 * one port per feature. The engine is generic over this type and never names a feature;
 * flows see it through `flows/kit.ts`, the composition root builds it (`src/app/container.ts`).
 * One import line per feature port, so a port can move without touching the others.
 */
import type { CoreServices } from "../engine/ports.js";
import type { ChannelsPort, Linking, Privacy } from "./linking/port.js";
import type { MeetingsPort } from "./meetings/port.js";
import type { ConcernsPort } from "./concerns/port.js";
import type { BroadcastPort } from "./notices/port.js";
import type { PollsPort } from "./polls/port.js";
import type { OpinionsPort } from "./opinions/port.js";
import type { ConsolePort } from "./console/port.js";
import type { RosterUploadPort } from "./roster/port.js";
import type { BoardsPort } from "./boards/port.js";

/** Everything a flow may touch. */
export interface Services extends CoreServices {
  linking: Linking;
  privacy: Privacy;
  /** One person across messengers (`/kenh`). */
  channels: ChannelsPort;
  meetings: MeetingsPort;
  concerns: ConcernsPort;
  broadcast: BroadcastPort;
  polls: PollsPort & OpinionsPort;
  console: ConsolePort;
  roster: RosterUploadPort;
  boards: BoardsPort;
}

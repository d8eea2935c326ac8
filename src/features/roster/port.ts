/** Roster files sent to the bot, as flows see it: a dry run first, then "apply" on a button. */
import type { ChannelName } from "../../engine/messages.js";
import type { Roles } from "../../domain/roles.js";

export interface RosterFile {
  channel: ChannelName;
  fileRef: string;
  fileName: string;
  sizeBytes: number;
}

export type RosterUploadPreview =
  | { status: "not-allowed" }
  | { status: "no-year" }
  | { status: "bad-file"; reason: "type" | "size" | "download" | "unreadable"; detail: string }
  | { status: "ok"; uploadId: string; fileName: string; yearName: string; created: number; updated: number; unchanged: number; rejected: number; rejectedLines: string; missing: number };

export type RosterUploadApplied =
  | { status: "applied"; created: number; updated: number; rejected: number }
  | { status: "gone" };

export interface RosterUploadPort {
  /** Downloads and dry-runs a roster file sent by a principal or school admin (nothing written). */
  preview(person: { identityId?: string; roles: Roles }, file: RosterFile): Promise<RosterUploadPreview>;
  /** Applies a previewed file once ("gone" when applied already, too old, or not this person's). */
  apply(person: { identityId?: string; roles: Roles }, uploadId: string): Promise<RosterUploadApplied>;
}

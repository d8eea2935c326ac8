/** Looking an invite code up before consent: what it would grant, or "invalid". */
import type { Address } from "../../engine/messages.js";
import type { Clock } from "../../engine/ports.js";
import type { InviteCodeRecord, InviteRepo } from "../../store/invites.js";
import type { CodeCheck, CodePreview } from "./port.js";
import { titleCode } from "../../domain/address.js";

export interface LinkingDeps {
  invites: InviteRepo;
  clock: Clock;
  /** Gives the person's other messengers (`/kenh`) what this identity was just granted. */
  shareWithPerson?: (identityId: string) => Promise<void>;
}

/** Who a slot belongs to: the person's account on one messenger (not the chat). */
export const holderOf = (a: Address): string => `${a.channel}:${a.account}:${a.userId}`;

/** A code that may still be used: neither revoked nor expired. */
export const isOpen = (code: InviteCodeRecord, now: Date): boolean => !code.revoked && code.expiresAt > now;

/** What a code would grant, with the names the person will recognise. */
export async function previewOf(deps: Pick<LinkingDeps, "invites">, code: InviteCodeRecord): Promise<CodePreview> {
  const names = await deps.invites.names(code);
  const g = code.grant;
  const base = { grant: g.kind, schoolName: names.schoolName, className: names.className };
  if (g.kind === "guardian") return { ...base, studentName: names.studentName };
  if (g.kind === "staff") return { ...base, roleKey: g.role, staffName: names.staffName, staffTitle: titleCode(names.staffTitle) };
  return { ...base, roleKey: `board-${g.position}` };
}

/**
 * Checks a code without using it. Unknown, expired, revoked and used up all read "invalid", so
 * nothing reveals whether a student exists; a full code whose slot this person holds (they
 * were interrupted halfway) is still theirs to finish, and one they already finished with
 * reads "already-linked" (no privacy notice to agree to again).
 */
export async function checkCode(deps: LinkingDeps, code: string, address?: Address): Promise<CodeCheck> {
  const doc = await deps.invites.findCode(code);
  if (!doc || !isOpen(doc, deps.clock.now())) return { status: "invalid" };
  const mine = address ? await deps.invites.slotOf(code, holderOf(address)) : undefined;
  if (!mine && (await deps.invites.usedSlots(code)) >= doc.slots) return { status: "invalid" };
  const preview = await previewOf(deps, doc);
  if (mine && (await deps.invites.holdsGrant(mine.identityId, doc.grant))) return { status: "already-linked", preview };
  return { status: "ok", preview };
}

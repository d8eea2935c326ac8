/**
 * Redeeming an invite code. A slot is taken by inserting its fact (`${code}#${slot}`, carrying
 * the person's messenger account and the event), and the link is then finished by inserts that
 * a retry may repeat: consent (keyed by the slot), the grant (unique index), the audit entry
 * (keyed by the slot) — the last one decides who tells the person "linked". So a redemption that
 * failed after taking its slot (a database error, a crash) is finished by the same person's next
 * try with that same slot; a one-slot staff code is never burned.
 */
import type { InviteCodeRecord, SlotFact } from "../../store/invites.js";
import { holderOf, isOpen, previewOf, type LinkingDeps } from "./codes.js";
import type { RedeemInput, RedeemResult } from "./port.js";

/**
 * Takes the first free slot for this person; a slot that turns out to be theirs already (an
 * earlier, interrupted try, or the same person's concurrent one) is theirs again.
 */
export async function takeSlot(deps: LinkingDeps, code: InviteCodeRecord, who: { identityId: string; holder: string; eventId: string }): Promise<SlotFact | undefined> {
  for (let slot = 1; slot <= code.slots; slot++) {
    const fact = { id: `${code.code}#${slot}`, code: code.code, slot, ...who, at: deps.clock.now() };
    const taken = await deps.invites.claimSlot(fact);
    if (taken.won || taken.fact.holder === who.holder) return taken.fact;
  }
  return undefined;
}

/** Finishes the link of a taken slot; true when this call completed it (false: it was complete). */
export async function finishLink(deps: LinkingDeps, code: InviteCodeRecord, slot: SlotFact, identityId: string, consentVersion: string): Promise<boolean> {
  const at = deps.clock.now();
  await deps.invites.recordConsent(slot.id, identityId, consentVersion, at);
  await deps.invites.applyGrant(identityId, code.schoolId, code.grant);
  await deps.shareWithPerson?.(identityId);
  return deps.invites.recordRedeemed(slot, identityId, code.schoolId, code.grant.kind, at);
}

/** Records consent and links the person with what the code grants. */
export async function redeemCode(deps: LinkingDeps, input: RedeemInput): Promise<RedeemResult> {
  const code = await deps.invites.findCode(input.code);
  if (!code || !isOpen(code, deps.clock.now())) return { status: "invalid" };
  const holder = holderOf(input.address);
  const { identityId, created } = await deps.invites.ensureIdentity(input.address, input.displayName ?? "", input.locale);
  let slot = await deps.invites.slotOf(code.code, holder);
  if (!slot && (await deps.invites.holdsGrant(identityId, code.grant))) return { status: "already-linked", preview: await previewOf(deps, code) };
  slot ??= await takeSlot(deps, code, { identityId, holder, eventId: input.eventId });
  if (!slot) {
    // Nobody's data is kept for a link that did not happen.
    if (created) await deps.invites.deleteIdentity(identityId);
    return { status: "invalid" };
  }
  const completed = await finishLink(deps, code, slot, identityId, input.consentVersion);
  return { status: completed ? "linked" : "already-linked", preview: await previewOf(deps, code) };
}

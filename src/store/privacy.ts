/**
 * The records behind access and erasure (Law 91/2025): what is stored about a person, and the
 * deletions of the core collections. The use cases (`/quyenriengtu`, `/xoadulieu`) are in
 * src/features/linking/privacy.ts. Features register an `Eraser` for their own collections so
 * deletion stays complete.
 */
import type { Address } from "../engine/messages.js";
import type { Roles } from "../domain/roles.js";
import type { Models } from "./models.js";
import { findIdentity, rolesOf } from "./directory.js";
import { eraseDeliveriesOf } from "./deliveries.js";
import { erasePairing, pairedChannelsOf } from "./people.js";

/** Deletes one feature's data about an identity; returns counts by collection. */
export type Eraser = (input: { identityId?: string; chatKey: string }) => Promise<Record<string, number>>;

export interface PersonRecords {
  identityOf(address: Address): Promise<{ id: string; channel: string; displayName: string; locale: string } | undefined>;
  rolesOf(identityId: string): Promise<Roles>;
  latestConsent(identityId: string): Promise<{ at: Date; version: string } | undefined>;
  schoolNames(ids: string[]): Promise<Map<string, string>>;
  /** The messengers the person of this identity is paired on (empty: not paired). */
  pairedChannels(identityId: string): Promise<{ identityId: string; channel: string }[]>;
  /**
   * Deletes an identity's links, roles, board memberships, consent records, deliveries and the
   * identity itself. Used code slots stay used (a forgotten code must not become valid again)
   * but no longer point at the person: neither by identity nor by messenger account (`holder`).
   */
  eraseIdentity(identityId: string | undefined, holder: string): Promise<Record<string, number>>;
  /** Deletes a chat's conversation, chosen language, playground messages and inbound records
   * except `keepEventId`, which is kept without its text so a redelivery is still a duplicate. */
  eraseChat(chatKey: string, keepEventId: string): Promise<Record<string, number>>;
  audit(entry: { actor: string; action: string; subject: string; details: object }): Promise<void>;
}

type Deleted = PromiseLike<{ deletedCount?: number }>;

async function counted(entries: [string, Deleted][]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, p] of entries) out[name] = (await p).deletedCount ?? 0;
  return out;
}

export function createPersonRecords(models: Models): PersonRecords {
  return {
    async identityOf(address) {
      const i = await findIdentity(models, address);
      return i ? { id: i._id, channel: i.channel, displayName: i.displayName, locale: i.locale } : undefined;
    },
    rolesOf: (identityId) => rolesOf(models, identityId),
    async latestConsent(identityId) {
      const c = await models.ConsentRecord.findOne({ identityId }).sort({ at: -1 }).lean();
      return c ? { at: c.at, version: c.version } : undefined;
    },
    async schoolNames(ids) {
      return new Map((await models.School.find({ _id: { $in: ids } }).lean()).map((s) => [s._id, s.name]));
    },
    pairedChannels: (identityId) => pairedChannelsOf(models, identityId),
    async eraseIdentity(identityId, holder) {
      const deleted: Record<string, number> = {};
      if (identityId) {
        Object.assign(deleted, await erasePairing(models, identityId));
        Object.assign(deleted, await counted([
          ["guardianLinks", models.GuardianLink.deleteMany({ identityId })],
          ["staffRoles", models.StaffRole.deleteMany({ identityId })],
          ["boardMemberships", models.BoardMembership.deleteMany({ identityId })],
          ["consentRecords", models.ConsentRecord.deleteMany({ identityId })],
        ]));
        Object.assign(deleted, await eraseDeliveriesOf(models, identityId));
      }
      const anonymous = { $set: { identityId: "erased", holder: "erased", eventId: "erased" } };
      await models.InviteRedemption.updateMany({ holder }, anonymous);
      if (identityId) {
        await models.InviteRedemption.updateMany({ identityId }, anonymous);
        // The audit trail keeps what happened, no longer to whom or by whom.
        await models.AuditLog.updateMany({ actor: identityId }, { $set: { actor: "erased" } });
        await models.AuditLog.updateMany({ subject: identityId }, { $set: { subject: "erased" } });
        Object.assign(deleted, await counted([["identities", models.ChannelIdentity.deleteOne({ _id: identityId })]]));
      }
      return deleted;
    },
    async eraseChat(chatKey, keepEventId) {
      const deleted = await counted([
        ["conversations", models.ConversationState.deleteMany({ _id: chatKey })],
        ["localePreferences", models.LocalePreference.deleteMany({ _id: chatKey })],
        ["webMessages", models.WebMessage.deleteMany({ chatKey })],
        ["inboundEvents", models.ProcessedEvent.deleteMany({ chatKey, _id: { $ne: keepEventId } })],
      ]);
      await models.ProcessedEvent.updateOne({ _id: keepEventId }, { $set: { event: null, chatKey: "erased" } });
      return deleted;
    },
    async audit(entry) {
      await models.AuditLog.create(entry);
    },
  };
}

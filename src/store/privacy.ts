/**
 * Access and erasure (Law 91/2025): `report` lists what is stored, `forget` deletes it for
 * real. Features register an `Eraser` for their own collections so deletion stays complete.
 */
import { addressKey } from "../engine/messages.js";
import type { Privacy, PrivacyReport } from "../engine/ports.js";
import { pickLocale } from "../i18n/fluent.js";
import type { Models } from "./models.js";
import { findIdentity, rolesOf } from "./directory.js";
import { eraseDeliveriesOf } from "./deliveries.js";

/** Deletes one feature's data about an identity; returns counts by collection. */
export type Eraser = (input: { identityId?: string; chatKey: string }) => Promise<Record<string, number>>;

/** The `Privacy` port. */
export function createPrivacy(models: Models, erasers: Eraser[] = []): Privacy {
  return {
    async report(address): Promise<PrivacyReport | undefined> {
      const identity = await findIdentity(models, address);
      if (!identity) return undefined;
      const [roles, consent] = await Promise.all([
        rolesOf(models, identity._id),
        models.ConsentRecord.findOne({ identityId: identity._id }).sort({ at: -1 }).lean(),
      ]);
      const schools = new Map((await models.School.find({}).lean()).map((s) => [s._id, s.name]));
      return {
        channel: identity.channel,
        displayName: identity.displayName || undefined,
        locale: pickLocale(identity.locale),
        consentedAt: consent?.at,
        consentVersion: consent?.version,
        students: roles.guardianOf.map((g) => ({ name: g.studentName, className: g.className, schoolName: schools.get(g.schoolId) ?? "" })),
        roles: [
          ...roles.staff.map((s) => ({ roleKey: s.role, className: s.className || undefined, schoolName: schools.get(s.schoolId) ?? "" })),
          ...roles.board.map((b) => ({ roleKey: `board-${b.position}`, className: b.className || undefined, schoolName: schools.get(b.schoolId) ?? "" })),
        ],
      };
    },
    async forget(address, eventId) {
      const chatKey = addressKey(address);
      const identity = await findIdentity(models, address);
      const identityId = identity?._id;
      const deleted: Record<string, number> = {};
      const count = async (name: string, p: Promise<{ deletedCount?: number }>) => { deleted[name] = (await p).deletedCount ?? 0; };
      for (const erase of erasers) Object.assign(deleted, await erase({ identityId, chatKey }));
      if (identityId) {
        await count("guardianLinks", models.GuardianLink.deleteMany({ identityId }));
        await count("staffRoles", models.StaffRole.deleteMany({ identityId }));
        await count("boardMemberships", models.BoardMembership.deleteMany({ identityId }));
        await count("consentRecords", models.ConsentRecord.deleteMany({ identityId }));
        Object.assign(deleted, await eraseDeliveriesOf(models, identityId));
        // Used code slots stay used (a forgotten code must not become valid again), but no
        // longer point at the person.
        await models.InviteRedemption.updateMany({ identityId }, { $set: { identityId: "erased" } });
        await count("identities", models.ChannelIdentity.deleteOne({ _id: identityId }));
      }
      await count("conversations", models.ConversationState.deleteMany({ _id: chatKey }));
      await count("localePreferences", models.LocalePreference.deleteMany({ _id: chatKey }));
      await count("webMessages", models.WebMessage.deleteMany({ chatKey }));
      // The /xoadulieu event itself is the only one kept (completed), so a redelivery of it
      // is still recognised as a duplicate; its text is removed.
      await count("inboundEvents", models.ProcessedEvent.deleteMany({ chatKey, _id: { $ne: eventId } }));
      await models.ProcessedEvent.updateOne({ _id: eventId }, { $set: { event: null, chatKey: "erased" } });
      await models.AuditLog.create({ actor: "self", action: "data-erased", subject: identityId ?? "unlinked", details: { counts: deleted } });
      return { deleted };
    },
  };
}

/**
 * Invite codes and their redemption. A code has `slots` (two guardians per student by
 * default, one for staff roles); each used slot is an `InviteRedemption` document whose _id is
 * `${code}#${slot}`, so under concurrent attempts exactly one person wins each slot.
 */
import type { Address } from "../engine/messages.js";
import type { CodeCheck, CodePreview, Linking, RedeemResult } from "../engine/ports.js";
import type { InviteGrant } from "../domain/roles.js";
import type { Clock } from "../engine/ports.js";
import { isDuplicateKey, type Models } from "./models.js";
import { findIdentity } from "./directory.js";

type CodeDoc = { _id: string; schoolId: string; grant: InviteGrant; slots: number; expiresAt: Date; revoked: boolean };

async function previewOf(models: Models, code: CodeDoc): Promise<CodePreview> {
  const school = await models.School.findById(code.schoolId).lean();
  const g = code.grant;
  const classId = g.kind === "guardian" ? (await models.Student.findById(g.studentId).lean())?.classGroupId : g.classGroupId;
  const className = classId ? (await models.ClassGroup.findById(classId).lean())?.name : undefined;
  const base = { grant: g.kind, schoolName: school?.name ?? "", className: className || undefined };
  if (g.kind === "guardian") return { ...base, studentName: (await models.Student.findById(g.studentId).lean())?.fullName };
  if (g.kind === "staff") return { ...base, roleKey: g.role, staffName: (await models.Staff.findById(g.staffId).lean())?.fullName };
  return { ...base, roleKey: `board-${g.position}` as CodePreview["roleKey"] };
}

async function usable(models: Models, code: string, now: Date): Promise<CodeDoc | undefined> {
  const doc = (await models.InviteCode.findById(code).lean()) as CodeDoc | null;
  if (!doc || doc.revoked || doc.expiresAt <= now) return undefined;
  if ((await models.InviteRedemption.countDocuments({ code })) >= doc.slots) return undefined;
  return doc;
}

/** Finds or creates the identity of an address (idempotent under concurrency). */
async function ensureIdentity(models: Models, address: Address, displayName: string, locale: string) {
  const filter = { channel: address.channel, account: address.account, externalUserId: address.userId };
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await findIdentity(models, address);
    if (found) return { identity: found, created: false };
    try {
      const created = await models.ChannelIdentity.create({ ...filter, chatId: address.chatId, displayName, locale });
      return { identity: created.toObject(), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error("could not create identity");
}

async function holdsGrant(models: Models, identityId: string, grant: InviteGrant): Promise<boolean> {
  if (grant.kind === "guardian") return (await models.GuardianLink.countDocuments({ identityId, studentId: grant.studentId })) > 0;
  if (grant.kind === "staff") return (await models.StaffRole.countDocuments({ identityId, role: grant.role, classGroupId: grant.classGroupId })) > 0;
  return (await models.BoardMembership.countDocuments({ identityId, scope: grant.scope, classGroupId: grant.classGroupId })) > 0;
}

async function applyGrant(models: Models, identityId: string, schoolId: string, grant: InviteGrant): Promise<void> {
  const ignoreDup = (err: unknown) => { if (!isDuplicateKey(err)) throw err; };
  if (grant.kind === "guardian")
    await models.GuardianLink.create({ identityId, studentId: grant.studentId, schoolId }).catch(ignoreDup);
  else if (grant.kind === "staff")
    await models.StaffRole.create({ identityId, staffId: grant.staffId, schoolId, role: grant.role, classGroupId: grant.classGroupId }).catch(ignoreDup);
  else {
    await models.BoardMembership.create({ identityId, schoolId, scope: grant.scope, classGroupId: grant.classGroupId, position: grant.position, studentId: grant.studentId }).catch(ignoreDup);
  }
}

/** The `Linking` port. */
export function createLinking(models: Models, clock: Clock): Linking {
  return {
    async check(code): Promise<CodeCheck> {
      const doc = await usable(models, code, clock.now());
      return doc ? { status: "ok", preview: await previewOf(models, doc) } : { status: "invalid" };
    },
    async redeem({ code, address, displayName, locale, consentVersion }): Promise<RedeemResult> {
      const doc = (await models.InviteCode.findById(code).lean()) as CodeDoc | null;
      if (!doc || doc.revoked || doc.expiresAt <= clock.now()) return { status: "invalid" };
      const { identity, created } = await ensureIdentity(models, address, displayName ?? "", locale);
      if (await holdsGrant(models, identity._id, doc.grant)) return { status: "already-linked", preview: await previewOf(models, doc) };
      for (let slot = 1; slot <= doc.slots; slot++) {
        try {
          await models.InviteRedemption.create({ _id: `${code}#${slot}`, code, identityId: identity._id, at: clock.now() });
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
        await models.ConsentRecord.create({ identityId: identity._id, version: consentVersion, at: clock.now() });
        await applyGrant(models, identity._id, doc.schoolId, doc.grant);
        await models.AuditLog.create({ actor: identity._id, action: "invite-redeemed", subject: doc.schoolId, details: { grant: doc.grant.kind, slot } });
        return { status: "linked", preview: await previewOf(models, doc) };
      }
      // Nobody's data is kept for a link that did not happen.
      if (created) await models.ChannelIdentity.deleteOne({ _id: identity._id });
      return { status: "invalid" };
    },
  };
}

/** Deletes codes that expired more than `graceDays` ago, with their redemptions (maintenance). */
export async function expireCodes(models: Models, now: Date, graceDays = 30): Promise<number> {
  const cutoff = new Date(now.getTime() - graceDays * 86_400_000);
  const expired = await models.InviteCode.find({ expiresAt: { $lt: cutoff } }).lean();
  const ids = expired.map((c) => c._id);
  if (ids.length === 0) return 0;
  await models.InviteRedemption.deleteMany({ code: { $in: ids } });
  return (await models.InviteCode.deleteMany({ _id: { $in: ids } })).deletedCount ?? 0;
}

/**
 * Invite codes and their redemptions: the repository behind src/features/linking (the rules
 * live there). A code has `slots` (two guardians per student by default, one for staff and
 * board codes); each used slot is an `InviteRedemption` fact `_id = ${code}#${slot}`, inserted
 * once (the first insert wins the slot) and never updated except to be anonymised by erasure.
 * Everything that completes a link (consent, grant, audit entry) is an insert keyed by the slot
 * or by a unique index, so a retry after a failure halfway repeats it harmlessly.
 */
import type { Address } from "../engine/messages.js";
import type { InviteGrant } from "../domain/roles.js";
import { insertOnce, isDuplicateKey, type Models } from "./models.js";
import { findIdentity } from "./directory.js";
import { decideOnce } from "./facts.js";

export interface InviteCodeRecord {
  code: string;
  schoolId: string;
  grant: InviteGrant;
  slots: number;
  expiresAt: Date;
  revoked: boolean;
}

/** A used slot of a code, and who took it. */
export interface SlotFact {
  /** `${code}#${slot}` */
  id: string;
  code: string;
  slot: number;
  identityId: string;
  /** The person's account on a messenger, `${channel}:${account}:${userId}`; "erased" after /xoadulieu. */
  holder: string;
  eventId: string;
  at: Date;
}

/** The names a code's preview shows. */
export interface CodeNames {
  schoolName: string;
  className?: string;
  studentName?: string;
  staffName?: string;
  /** The staff member's recorded title, as written ("Cô", "Thầy"). */
  staffTitle?: string;
}

export interface InviteRepo {
  findCode(code: string): Promise<InviteCodeRecord | undefined>;
  usedSlots(code: string): Promise<number>;
  /** The slot of this code that this holder took, if any. */
  slotOf(code: string, holder: string): Promise<SlotFact | undefined>;
  /** Inserts a slot fact: the first insert of its id wins; the others get the winner's fact. */
  claimSlot(fact: SlotFact): Promise<{ won: boolean; fact: SlotFact }>;
  names(code: InviteCodeRecord): Promise<CodeNames>;
  /** Finds or creates the identity of an address (idempotent under concurrency). */
  ensureIdentity(address: Address, displayName: string, locale: string): Promise<{ identityId: string; created: boolean }>;
  deleteIdentity(identityId: string): Promise<void>;
  holdsGrant(identityId: string, grant: InviteGrant): Promise<boolean>;
  /** The consent given with one slot (keyed by it); false when already recorded. */
  recordConsent(slotId: string, identityId: string, version: string, at: Date): Promise<boolean>;
  /** The link, role or board membership a code grants; false when it existed. */
  applyGrant(identityId: string, schoolId: string, grant: InviteGrant): Promise<boolean>;
  /** The audit entry that completes a redemption (keyed by the slot); false when already recorded. */
  recordRedeemed(slot: SlotFact, identityId: string, schoolId: string, grant: InviteGrant["kind"], at: Date): Promise<boolean>;
}


type RedemptionDoc = { _id: string; code: string; identityId: string; holder?: string; eventId?: string; at: Date };

const toSlot = (d: RedemptionDoc): SlotFact => ({
  id: d._id, code: d.code, slot: Number(d._id.slice(d._id.lastIndexOf("#") + 1)), identityId: d.identityId,
  holder: d.holder ?? "", eventId: d.eventId ?? "", at: d.at,
});

export function createInviteRepo(models: Models): InviteRepo {
  return {
    async findCode(code) {
      const d = await models.InviteCode.findById(code).lean();
      return d ? { code: d._id, schoolId: d.schoolId, grant: d.grant as InviteGrant, slots: d.slots, expiresAt: d.expiresAt, revoked: d.revoked } : undefined;
    },
    usedSlots: (code) => models.InviteRedemption.countDocuments({ code }),
    async slotOf(code, holder) {
      const d = await models.InviteRedemption.findOne({ code, holder }).lean();
      return d ? toSlot(d as RedemptionDoc) : undefined;
    },
    async claimSlot(fact) {
      const doc: RedemptionDoc = { _id: fact.id, code: fact.code, identityId: fact.identityId, holder: fact.holder, eventId: fact.eventId, at: fact.at };
      const d = await decideOnce(models.InviteRedemption, doc);
      return { won: d.won, fact: toSlot(d.fact) };
    },
    async names(code) {
      const g = code.grant;
      const [school, student, staff] = await Promise.all([
        models.School.findById(code.schoolId).lean(),
        g.kind === "guardian" ? models.Student.findById(g.studentId).lean() : null,
        g.kind === "staff" ? models.Staff.findById(g.staffId).lean() : null,
      ]);
      const classId = g.kind === "guardian" ? student?.classGroupId : g.classGroupId;
      const className = classId ? (await models.ClassGroup.findById(classId).lean())?.name : undefined;
      return { schoolName: school?.name ?? "", className: className || undefined, studentName: student?.fullName, staffName: staff?.fullName, staffTitle: staff?.title };
    },
    async ensureIdentity(address, displayName, locale) {
      const filter = { channel: address.channel, account: address.account, externalUserId: address.userId };
      for (let attempt = 0; attempt < 3; attempt++) {
        const found = await findIdentity(models, address);
        if (found) return { identityId: found._id, created: false };
        try {
          const created = await models.ChannelIdentity.create({ ...filter, chatId: address.chatId, displayName, locale });
          return { identityId: created._id, created: true };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      throw new Error("could not create identity");
    },
    async deleteIdentity(identityId) {
      await models.ChannelIdentity.deleteOne({ _id: identityId });
    },
    async holdsGrant(identityId, grant) {
      if (grant.kind === "guardian") return (await models.GuardianLink.countDocuments({ identityId, studentId: grant.studentId })) > 0;
      if (grant.kind === "staff") return (await models.StaffRole.countDocuments({ identityId, role: grant.role, classGroupId: grant.classGroupId })) > 0;
      return (await models.BoardMembership.countDocuments({ identityId, scope: grant.scope, classGroupId: grant.classGroupId })) > 0;
    },
    recordConsent: (slotId, identityId, version, at) =>
      insertOnce(() => models.ConsentRecord.create({ _id: slotId, identityId, version, at })),
    applyGrant: (identityId, schoolId, grant) => insertOnce(() => {
      if (grant.kind === "guardian") return models.GuardianLink.create({ identityId, studentId: grant.studentId, schoolId });
      if (grant.kind === "staff") return models.StaffRole.create({ identityId, staffId: grant.staffId, schoolId, role: grant.role, classGroupId: grant.classGroupId });
      return models.BoardMembership.create({ identityId, schoolId, scope: grant.scope, classGroupId: grant.classGroupId, position: grant.position, studentId: grant.studentId });
    }),
    recordRedeemed: (slot, identityId, schoolId, grant, at) =>
      insertOnce(() => models.AuditLog.create({ _id: `invite-redeemed#${slot.id}`, at, actor: identityId, action: "invite-redeemed", subject: schoolId, details: { grant, slot: slot.slot } })),
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

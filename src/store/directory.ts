/** People and roles: the engine's `Directory` port over MongoDB. */
import { addressKey, type Address } from "../engine/messages.js";
import type { Directory, Person } from "../engine/ports.js";
import { boardTermIsCurrent, type Roles, type StaffRole, type BoardPosition } from "../domain/roles.js";
import { readerOf, titleCode, type Reader } from "../domain/address.js";
import { homeroomEntity, latestOfMany } from "./versioned-facts.js";
import { pickLocale, type Locale } from "../i18n/fluent.js";
import type { Models } from "./models.js";

/** Finds the identity of an address, if the person has consented and linked. */
export async function findIdentity(models: Models, address: Address) {
  return models.ChannelIdentity.findOne({ channel: address.channel, account: address.account, externalUserId: address.userId }).lean();
}

/** Computes a person's roles with the names the menu and messages need. */
export async function rolesOf(models: Models, identityId: string): Promise<Roles> {
  const [links, allStaff, allBoard] = await Promise.all([
    models.GuardianLink.find({ identityId }).lean(),
    models.StaffRole.find({ identityId }).lean(),
    models.BoardMembership.find({ identityId }).lean(),
  ]);
  const [staff, board] = await Promise.all([currentHomeroom(models, allStaff), currentTerm(models, allBoard)]);
  const students = await models.Student.find({ _id: { $in: links.map((l) => l.studentId) } }).lean();
  const classIds = [...students.map((s) => s.classGroupId), ...staff.map((s) => s.classGroupId), ...board.map((b) => b.classGroupId)].filter(Boolean);
  const classes = new Map((await models.ClassGroup.find({ _id: { $in: classIds } }).lean()).map((c) => [c._id, c]));
  const staffDocs = new Map((await models.Staff.find({ _id: { $in: staff.map((s) => s.staffId) } }).lean()).map((s) => [s._id, s]));
  return {
    guardianOf: students.map((s) => ({
      studentId: s._id, studentName: s.fullName, classGroupId: s.classGroupId,
      className: classes.get(s.classGroupId)?.name ?? "", schoolId: s.schoolId,
    })),
    staff: staff.map((s) => ({
      role: s.role as StaffRole, schoolId: s.schoolId, classGroupId: s.classGroupId ?? "",
      className: classes.get(s.classGroupId ?? "")?.name ?? "", staffName: staffDocs.get(s.staffId)?.fullName ?? "",
      title: titleCode(staffDocs.get(s.staffId)?.title),
    })),
    board: board.map((b) => ({
      scope: b.scope as "class" | "school", position: b.position as BoardPosition, schoolId: b.schoolId,
      classGroupId: b.classGroupId ?? "", className: classes.get(b.classGroupId ?? "")?.name ?? "",
    })),
  };
}

type StaffRoleDoc = { staffId: string; role: string; classGroupId?: string | null };

/**
 * A homeroom role counts only while it is the class's current assignment (the latest
 * `homeroom:<class>` fact names its staff member): a teacher replaced mid-year loses the class
 * at once, whatever role documents are left. Classes never assigned through the console keep
 * the roles their invite codes gave.
 */
async function currentHomeroom<T extends StaffRoleDoc>(models: Models, roles: T[]): Promise<T[]> {
  const homeroom = roles.filter((r) => r.role === "homeroom-teacher" && r.classGroupId);
  const latest = await latestOfMany<{ staffId: string }>(models, homeroom.map((r) => homeroomEntity(r.classGroupId!)));
  return roles.filter((r) => {
    if (r.role !== "homeroom-teacher" || !r.classGroupId) return true;
    const now = latest.get(homeroomEntity(r.classGroupId));
    return !now || now.current?.staffId === r.staffId;
  });
}

/** Board memberships of the current school year only (a class board's year is its class's). */
async function currentTerm<T extends { scope: string; classGroupId?: string | null; yearId?: string | null }>(models: Models, memberships: T[]): Promise<T[]> {
  if (memberships.length === 0) return memberships;
  const classes = new Map((await models.ClassGroup.find({ _id: { $in: memberships.map((m) => m.classGroupId ?? "").filter(Boolean) } }).lean()).map((c) => [c._id, c.yearId]));
  const yearOf = (m: T) => m.yearId || (m.scope === "class" ? classes.get(m.classGroupId ?? "") ?? "" : "");
  const years = new Map((await models.SchoolYear.find({ _id: { $in: memberships.map(yearOf).filter(Boolean) } }).lean()).map((y) => [y._id, y]));
  // A school-board membership from an invite code names no year: it lasts until a rollover removes it.
  return memberships.filter((m) => (m.scope === "school" && !yearOf(m)) || boardTermIsCurrent(years.get(yearOf(m))));
}


/** Who an identity is as a reader (`$reader`, `$title`), for messages sent to them through the outbox. */
export async function readerOfIdentity(models: Models, identityId: string): Promise<Reader> {
  return readerOf(await rolesOf(models, identityId));
}

/** How long a school's time zone is remembered (a change shows within this). */
const ZONE_TTL_MS = 60_000;

/** The `Directory` port. A person's time zone is their school's (`School.timeZone`), when it sets one. */
export function createDirectory(models: Models, defaultLocale: Locale = "vi"): Directory {
  const zones = new Map<string, { zone: string | undefined; until: number }>();
  async function zoneOf(roles: Roles): Promise<string | undefined> {
    const schoolId = roles.staff[0]?.schoolId ?? roles.board[0]?.schoolId ?? roles.guardianOf[0]?.schoolId;
    if (!schoolId) return undefined;
    const known = zones.get(schoolId);
    if (known && known.until > Date.now()) return known.zone;
    const zone = (await models.School.findById(schoolId).select({ timeZone: 1 }).lean())?.timeZone || undefined;
    zones.set(schoolId, { zone, until: Date.now() + ZONE_TTL_MS });
    return zone;
  }
  return {
    async resolve(address, localeHint): Promise<Person> {
      const identity = await findIdentity(models, address);
      if (identity) {
        const roles = await rolesOf(models, identity._id);
        const timeZone = await zoneOf(roles);
        return { address, identityId: identity._id, locale: pickLocale(identity.locale, defaultLocale),
          roles, displayName: identity.displayName || undefined, ...(timeZone ? { timeZone } : {}) };
      }
      const pref = await models.LocalePreference.findById(addressKey(address)).lean();
      return { address, locale: pickLocale(pref?.locale ?? localeHint, defaultLocale), roles: { guardianOf: [], staff: [], board: [] } };
    },
    async setLocale(address, locale) {
      const identity = await findIdentity(models, address);
      if (identity) await models.ChannelIdentity.updateOne({ _id: identity._id }, { $set: { locale } });
      else await models.LocalePreference.updateOne({ _id: addressKey(address) }, { $set: { locale, updatedAt: new Date() } }, { upsert: true });
    },
    async markUnreachable(address) {
      await models.ChannelIdentity.updateOne(
        { channel: address.channel, account: address.account, externalUserId: address.userId },
        { $set: { reachable: false } },
      );
    },
  };
}

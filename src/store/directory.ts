/** People and roles: the engine's `Directory` port over MongoDB. */
import { addressKey, type Address } from "../engine/messages.js";
import type { Directory, Person } from "../engine/ports.js";
import { boardTermIsCurrent, type Roles, type StaffRole, type BoardPosition } from "../domain/roles.js";
import { readerOf, titleCode, type Reader } from "../domain/address.js";
import { homeroomEntity, latestOfMany } from "./versioned-facts.js";
import { pickLocale, type Locale } from "../i18n/fluent.js";
import type { Models } from "./models.js";
import { schoolZoneSetting } from "./school-zone.js";

/** Finds the identity of an address, if the person has consented and linked. */
export async function findIdentity(models: Models, address: Address) {
  return models.ChannelIdentity.findOne({ channel: address.channel, account: address.account, externalUserId: address.userId }).lean();
}

/** Computes a person's roles with the names the menu and messages need. */
export async function rolesOf(models: Models, identityId: string): Promise<Roles> {
  const grants = await grantsOf(models, identityId);
  return currentRoles(models, await describeGrants(models, grants));
}

/** The documents that grant an identity its roles: every grant or revocation writes one of them. */
type Grants = Awaited<ReturnType<typeof grantsOf>>;

async function grantsOf(models: Models, identityId: string) {
  const [links, staff, board] = await Promise.all([
    models.GuardianLink.find({ identityId }).lean(),
    models.StaffRole.find({ identityId }).lean(),
    models.BoardMembership.find({ identityId }).lean(),
  ]);
  return { links, staff, board };
}

/**
 * Roles with their names, every homeroom role still in (`currentRoles` drops the replaced
 * ones): what the directory may keep for a few seconds.
 */
interface Described {
  roles: Roles;
  /** The staff documents behind `roles.staff`, index for index. */
  staffDocs: StaffRoleDoc[];
}

/** Reads what the grants name: the pupils, the classes, the staff members, the board terms. */
async function describeGrants(models: Models, grants: Grants): Promise<Described> {
  const staff = grants.staff;
  const board = await currentTerm(models, grants.board);
  const [students, staffDocs] = await Promise.all([byIds(grants.links.map((l) => l.studentId), (id) => models.Student.findById(id).lean().exec()), byIds(staff.map((s) => s.staffId), (id) => models.Staff.findById(id).lean().exec())]);
  const classIds = [...students.map((s) => s.classGroupId), ...staff.map((s) => s.classGroupId), ...board.map((b) => b.classGroupId)];
  const classes = new Map((await byIds(classIds, (id) => models.ClassGroup.findById(id).lean().exec())).map((c) => [c._id, c]));
  const staffById = new Map(staffDocs.map((s) => [s._id, s]));
  const roles: Roles = {
    guardianOf: students.map((s) => ({
      studentId: s._id, studentName: s.fullName, classGroupId: s.classGroupId,
      className: classes.get(s.classGroupId)?.name ?? "", schoolId: s.schoolId,
    })),
    staff: staff.map((s) => ({
      role: s.role as StaffRole, schoolId: s.schoolId, classGroupId: s.classGroupId ?? "",
      className: classes.get(s.classGroupId ?? "")?.name ?? "", staffName: staffById.get(s.staffId)?.fullName ?? "",
      title: titleCode(staffById.get(s.staffId)?.title),
    })),
    board: board.map((b) => ({
      scope: b.scope as "class" | "school", position: b.position as BoardPosition, schoolId: b.schoolId,
      classGroupId: b.classGroupId ?? "", className: classes.get(b.classGroupId ?? "")?.name ?? "",
    })),
  };
  return { roles, staffDocs: staff };
}

/** The roles without the homeroom classes whose latest assignment names someone else (read fresh). */
async function currentRoles(models: Models, d: Described): Promise<Roles> {
  const kept = new Set(await currentHomeroom(models, d.staffDocs));
  if (kept.size === d.staffDocs.length) return d.roles;
  return { ...d.roles, staff: d.roles.staff.filter((_, i) => kept.has(d.staffDocs[i]!)) };
}

/**
 * Documents by _id, one equality read each (none for no ids): FerretDB does not push `$in` down,
 * so one `$in` would read the whole collection (every pupil of every school) on each call.
 */
async function byIds<D extends object>(ids: (string | null | undefined)[], read: (id: string) => Promise<D | null>): Promise<D[]> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const docs: (D | null)[] = await Promise.all(unique.map(read));
  return docs.filter((d): d is D => d !== null);
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
  const classes = new Map((await byIds(memberships.map((m) => m.classGroupId), (id) => models.ClassGroup.findById(id).lean().exec())).map((c) => [c._id, c.yearId]));
  const yearOf = (m: T) => m.yearId || (m.scope === "class" ? classes.get(m.classGroupId ?? "") ?? "" : "");
  const years = new Map((await byIds(memberships.map(yearOf), (id) => models.SchoolYear.findById(id).lean().exec())).map((y) => [y._id, y]));
  // A school-board membership from an invite code names no year: it lasts until a rollover removes it.
  return memberships.filter((m) => (m.scope === "school" && !yearOf(m)) || boardTermIsCurrent(years.get(yearOf(m))));
}


/** Who an identity is as a reader (`$reader`, `$title`), for messages sent to them through the outbox. */
export async function readerOfIdentity(models: Models, identityId: string): Promise<Reader> {
  return readerOf(await rolesOf(models, identityId));
}

/**
 * How long the directory keeps what a person's grants name (pupils, classes, staff names,
 * board terms). Never the grants themselves: see `createDirectory`.
 */
export const ROLES_TTL_MS = 5_000;
/** At most this many people's roles are kept per process (the oldest go first). */
const ROLES_KEPT = 10_000;

/** The grants as a key: equal exactly when no grant was added, removed or changed. */
function grantsKey(g: Grants): string {
  const part = (docs: object[]) => docs.map((d) => JSON.stringify(d)).sort().join("\n");
  return [part(g.links), part(g.staff), part(g.board)].join("\u0000");
}

/**
 * The `Directory` port. A person's time zone is their school's (`School.timeZone`), when it sets one.
 *
 * **Roles on each turn** (`resolve`). Who a person is changes rarely, but must change at once when
 * it does — a teacher replaced mid-year loses the class on their next tap, on whichever process
 * handles it, and a parent who just linked a second child sees it in the next menu. So each turn
 * reads, fresh, only what decides access:
 * - the grants (guardian links, staff roles, board memberships of the identity: three reads by
 *   an indexed field, in parallel). Every grant and revocation writes one of them — linking, a
 *   homeroom change (its projection deletes the old teacher's role), a board, a rollover, an
 *   erasure — so no writer has to tell any cache anything;
 * - the class's latest homeroom assignment, for each homeroom role (one read by entity): the
 *   fact is decided before the projection is written, so the replaced teacher is out even in
 *   between (or when the projection never ran).
 * What the grants name — the pupils (name, class), class names and years, staff names and titles,
 * whether a board's year is archived — is kept per identity for `ROLES_TTL_MS`, and only while
 * the grants read are exactly those it was computed from. A pupil moved to another class, a
 * renamed class or an archived year shows within those seconds. This saves the 2–5 dependent
 * reads (by _id) of a turn; `rolesOf` itself (console sessions, meetings, privacy) stays
 * uncached. A Redis "roles changed" message or a version document was not chosen: each writer
 * (features owned elsewhere) would have to publish it, and a missed one would be an access bug.
 */
export function createDirectory(models: Models, defaultLocale: Locale = "vi"): Directory {
  const described = new Map<string, { key: string; value: Described; until: number }>();
  async function rolesNow(identityId: string): Promise<Roles> {
    const grants = await grantsOf(models, identityId);
    const key = grantsKey(grants);
    const kept = described.get(identityId);
    let value: Described;
    if (kept && kept.key === key && kept.until > Date.now()) value = kept.value;
    else {
      value = await describeGrants(models, grants);
      described.delete(identityId);
      if (described.size >= ROLES_KEPT) described.delete(described.keys().next().value!);
      described.set(identityId, { key, value, until: Date.now() + ROLES_TTL_MS });
    }
    // A copy: what a flow does with its person's roles never reaches the next turn's.
    return structuredClone(await currentRoles(models, value));
  }
  const zoneOf = (roles: Roles): Promise<string | undefined> =>
    schoolZoneSetting(models, roles.staff[0]?.schoolId ?? roles.board[0]?.schoolId ?? roles.guardianOf[0]?.schoolId ?? "");
  return {
    async resolve(address, localeHint): Promise<Person> {
      const identity = await findIdentity(models, address);
      if (identity) {
        const roles = await rolesNow(identity._id);
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

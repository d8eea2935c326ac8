/**
 * Who a send reaches, for every feature: the students (households) of a class, a grade or the
 * school's current classes, the guardians of each, and an identity's address. The one place
 * that turns roster links into addresses; plain objects only.
 */
import { createHash } from "node:crypto";
import type { Address } from "../engine/messages.js";
import { compareVietnameseNames } from "../domain/text.js";
import type { Models } from "./models.js";
import { membersOf, personLinksOf, personOf, preferredOf } from "./people.js";

/** A scope of classes: one class, a grade of the school's current year(s), or all of them. */
export type AudienceScope =
  | { kind: "class"; classGroupId: string; className?: string }
  | { kind: "grade"; schoolId: string; grade: number }
  | { kind: "school"; schoolId: string };

export interface Household {
  studentId: string;
  studentName: string;
  guardians: { identityId: string; address: Address }[];
}

/** A stored channel identity as an address. */
export function toAddress(i: { channel: string; account: string; externalUserId: string; chatId: string }): Address {
  return { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId };
}

/** The classes of a scope: the class itself, or the school's (grade's) classes of its current years. */
export async function classIdsInScope(models: Models, scope: AudienceScope): Promise<string[]> {
  if (scope.kind === "class") return [scope.classGroupId];
  const years = await models.SchoolYear.find({ schoolId: scope.schoolId, archived: false }).lean();
  const classes = await models.ClassGroup.find({ schoolId: scope.schoolId, yearId: { $in: years.map((y) => y._id) }, ...(scope.kind === "grade" ? { grade: scope.grade } : {}) }).lean();
  return classes.map((c) => c._id);
}

/** A short id for a poll or round derived from the creating event: a replayed event finds the same one. */
export function shortIdFor(prefix: "p" | "o", eventId: string): string {
  return prefix + BigInt("0x" + createHash("sha256").update(`${prefix}:${eventId}`).digest("hex").slice(0, 15)).toString(36).padStart(11, "0").slice(0, 11);
}

/** The ids of the students in scope, sorted by Vietnamese name order (button indexes point into it). */
export async function studentsInScope(models: Models, scope: AudienceScope): Promise<{ _id: string; fullName: string }[]> {
  // Pupils who left the school are kept (never deleted) but no longer reached.
  const students = await models.Student.find({ classGroupId: { $in: await classIdsInScope(models, scope) }, leftAt: null }).lean();
  return students.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName)).map((s) => ({ _id: s._id, fullName: s.fullName }));
}

/**
 * Who of a person's identities gets their messages: for each list of reachable identities, one
 * per person — the one the person chose (`/kenh`), else the one linked last. Unpaired identities
 * stay as they are. Returns a filter over identity ids.
 */
async function onePerPerson(models: Models, identityIds: string[]): Promise<(ids: string[]) => string[]> {
  const links = await personLinksOf(models, identityIds);
  if (links.size === 0) return (ids) => ids;
  const preferred = await preferredOf(models, [...new Set([...links.values()].map((l) => l.personId))]);
  return (ids) => {
    const chosen = new Map<string, string>();
    for (const id of ids) {
      const link = links.get(id);
      if (!link) continue;
      const seen = chosen.get(link.personId);
      const better = !seen || preferred.get(link.personId) === id
        || (preferred.get(link.personId) !== seen && links.get(seen)!.at.getTime() < link.at.getTime());
      if (better) chosen.set(link.personId, id);
    }
    return ids.filter((id) => !links.has(id) || chosen.get(links.get(id)!.personId) === id);
  };
}

/** The households of these students with their reachable guardians' addresses: one address per person (a person paired on two messengers gets one). */
export async function householdsOf(models: Models, studentIds: string[]): Promise<Household[]> {
  const students = new Map((await models.Student.find({ _id: { $in: studentIds } }).lean()).map((s) => [s._id, s]));
  const links = await models.GuardianLink.find({ studentId: { $in: studentIds } }).lean();
  const identities = new Map((await models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) }, reachable: true }).lean()).map((i) => [i._id, i]));
  const keep = await onePerPerson(models, [...identities.keys()]);
  return studentIds.flatMap((id) => {
    const s = students.get(id);
    if (!s) return [];
    const ids = keep(links.filter((l) => l.studentId === id && identities.has(l.identityId)).map((l) => l.identityId));
    const guardians = ids.map((identityId) => ({ identityId, address: toAddress(identities.get(identityId)!) }));
    return [{ studentId: id, studentName: s.fullName, guardians }];
  });
}

/** The address a person's messages go to, for one of their identities: the person's preferred reachable messenger, else another reachable one. */
export async function addressOf(models: Models, identityId: string): Promise<Address | undefined> {
  const link = (await personLinksOf(models, [identityId])).get(identityId);
  if (!link) {
    const i = await models.ChannelIdentity.findById(identityId).lean();
    return i && i.reachable ? toAddress(i) : undefined;
  }
  return (await personAddresses(models, link.personId, identityId))[0]?.address;
}

/** A person's reachable addresses, the one that gets their messages first. */
async function personAddresses(models: Models, personId: string, identityId: string): Promise<{ identityId: string; address: Address }[]> {
  const members = (await membersOf(models, personId, identityId)).filter((m) => m.reachable);
  const preferred = (await preferredOf(models, [personId])).get(personId);
  const rank = (m: (typeof members)[number]) => (m.identityId === preferred ? Number.MAX_SAFE_INTEGER : m.at.getTime());
  return members.sort((a, b) => rank(b) - rank(a)).map((m) => ({ identityId: m.identityId, address: m.address }));
}

/** The same person's reachable addresses on their other messengers, the preferred first (the OA's "other channel" route). */
export async function otherAddressesOf(models: Models, identityId: string): Promise<Address[]> {
  if (!identityId) return [];
  const personId = await personOf(models, identityId);
  return (await personAddresses(models, personId, identityId)).filter((a) => a.identityId !== identityId).map((a) => a.address);
}

/** The reachable addresses of these identities (the unreachable ones are left out), one per person. */
export async function addressesOf(models: Models, identityIds: string[]): Promise<{ identityId: string; address: Address }[]> {
  const found = await models.ChannelIdentity.find({ _id: { $in: identityIds }, reachable: true }).lean();
  const keep = new Set((await onePerPerson(models, found.map((i) => i._id)))(found.map((i) => i._id)));
  return found.filter((i) => keep.has(i._id)).map((i) => ({ identityId: i._id, address: toAddress(i) }));
}

/** Households of a scope, in Vietnamese name order. */
export async function householdsInScope(models: Models, scope: AudienceScope): Promise<Household[]> {
  return householdsOf(models, (await studentsInScope(models, scope)).map((s) => s._id));
}

/** The class name of a scope ("" for the school). */
export async function scopeNameOf(models: Models, scope: AudienceScope): Promise<string> {
  if (scope.kind !== "class") return "";
  return scope.className || ((await models.ClassGroup.findById(scope.classGroupId).lean())?.name ?? "");
}

/** Every linked guardian of these students, reachable or not (a report looks up what was sent to each). */
export async function guardianIdsOf(models: Models, studentIds: string[]): Promise<Map<string, string[]>> {
  const byStudent = new Map<string, string[]>();
  for (const l of await models.GuardianLink.find({ studentId: { $in: studentIds } }).lean()) byStudent.set(l.studentId, [...(byStudent.get(l.studentId) ?? []), l.identityId]);
  return byStudent;
}

/**
 * Whether each student's household can be reached on a messenger: "reachable" (a linked
 * guardian who has not blocked the bot), "blocked" (linked guardians, all unreachable) or
 * "not-linked" (no guardian linked yet). Reports count these apart from answers.
 */
export type Reachability = "reachable" | "blocked" | "not-linked";

export async function reachabilityOf(models: Models, studentIds: string[]): Promise<Map<string, Reachability>> {
  const links = await models.GuardianLink.find({ studentId: { $in: studentIds } }).lean();
  const reachable = new Set((await models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) }, reachable: true }).select({ _id: 1 }).lean()).map((i) => i._id));
  const out = new Map<string, Reachability>(studentIds.map((id) => [id, "not-linked"]));
  for (const l of links) if (out.get(l.studentId) !== "reachable") out.set(l.studentId, reachable.has(l.identityId) ? "reachable" : "blocked");
  return out;
}

/**
 * Who a poll or an opinion round reaches: the students (households) of a class or of the
 * school's current classes, and the reachable guardians of each. Shared by the poll and
 * opinion services; plain objects only.
 */
import { createHash } from "node:crypto";
import type { Address } from "../engine/messages.js";
import type { OrganizerScope } from "../domain/poll.js";
import { compareVietnameseNames } from "../domain/text.js";
import type { Models } from "./models.js";

export interface Household {
  studentId: string;
  studentName: string;
  guardians: { identityId: string; address: Address }[];
}

/** A short id for a poll or round derived from the creating event: a replayed event finds the same one. */
export function shortIdFor(prefix: "p" | "o", eventId: string): string {
  return prefix + BigInt("0x" + createHash("sha256").update(`${prefix}:${eventId}`).digest("hex").slice(0, 15)).toString(36).padStart(11, "0").slice(0, 11);
}

/** The ids of the students in scope, sorted by Vietnamese name order (button indexes point into it). */
export async function studentsInScope(models: Models, scope: OrganizerScope): Promise<{ _id: string; fullName: string }[]> {
  let classIds: string[];
  if (scope.kind === "class") classIds = [scope.classGroupId];
  else {
    const years = await models.SchoolYear.find({ schoolId: scope.schoolId, archived: false }).lean();
    classIds = (await models.ClassGroup.find({ schoolId: scope.schoolId, yearId: { $in: years.map((y) => y._id) } }).lean()).map((c) => c._id);
  }
  const students = await models.Student.find({ classGroupId: { $in: classIds } }).lean();
  return students.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName)).map((s) => ({ _id: s._id, fullName: s.fullName }));
}

/** The households of these students with their reachable guardians' addresses. */
export async function householdsOf(models: Models, studentIds: string[]): Promise<Household[]> {
  const students = new Map((await models.Student.find({ _id: { $in: studentIds } }).lean()).map((s) => [s._id, s]));
  const links = await models.GuardianLink.find({ studentId: { $in: studentIds } }).lean();
  const identities = new Map((await models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) }, reachable: true }).lean()).map((i) => [i._id, i]));
  return studentIds.flatMap((id) => {
    const s = students.get(id);
    if (!s) return [];
    const guardians = links.filter((l) => l.studentId === id && identities.has(l.identityId)).map((l) => {
      const i = identities.get(l.identityId)!;
      return { identityId: i._id, address: { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId } };
    });
    return [{ studentId: id, studentName: s.fullName, guardians }];
  });
}

/** The address of an identity when it is reachable. */
export async function addressOf(models: Models, identityId: string): Promise<Address | undefined> {
  const i = await models.ChannelIdentity.findById(identityId).lean();
  return i && i.reachable ? { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId } : undefined;
}

/** The class name of a scope ("" for the school). */
export async function scopeNameOf(models: Models, scope: OrganizerScope): Promise<string> {
  if (scope.kind === "school") return "";
  return scope.className || ((await models.ClassGroup.findById(scope.classGroupId).lean())?.name ?? "");
}

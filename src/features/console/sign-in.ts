/**
 * Signing in to the office console without passwords: a principal, a school admin (văn thư) or
 * a homeroom teacher sends /quantri to the bot and gets a one-time link, valid 10 minutes, used
 * once (the use is a unique fact, so two clicks racing open one session). The first admin of a
 * new school gets the same link from the CLI (`admin link --school`). A session lives in a
 * cookie whose hash is stored; it ends after 30 idle minutes. A homeroom teacher's session is
 * scoped to their class; a school admin manages records but reads no concern contents.
 */
import { createHash, randomBytes } from "node:crypto";
import { teachesClass, type Roles } from "../../domain/roles.js";
import { rolesOf } from "../../store/directory.js";
import { decideTransition } from "../../store/facts.js";
import type { Models } from "../../store/models.js";

export const LINK_TTL_MS = 10 * 60_000;
export const IDLE_TIMEOUT_MS = 30 * 60_000;

export type ConsoleRole = "principal" | "admin" | "homeroom-teacher";

export interface ConsoleGrant {
  schoolId: string;
  identityId: string;
  role: ConsoleRole;
  /** The class a homeroom teacher's session is limited to ("" for the school). */
  classGroupId: string;
}

export interface ConsoleSession extends ConsoleGrant {
  id: string;
  csrf: string;
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const token = () => randomBytes(24).toString("base64url");

/** What a person's roles let them open in the console, most powerful first (none: no console). */
export function consoleGrantsOf(identityId: string, roles: Roles): ConsoleGrant[] {
  const rank = { principal: 0, "vice-principal": 0, admin: 1, "homeroom-teacher": 2 } as const;
  return [...roles.staff]
    .sort((a, b) => rank[a.role] - rank[b.role])
    .map((s) => ({
      schoolId: s.schoolId, identityId,
      role: (s.role === "vice-principal" ? "principal" : s.role) as ConsoleRole,
      classGroupId: s.role === "homeroom-teacher" ? s.classGroupId : "",
    }));
}

/** Issues a one-time sign-in link; returns the URL to open. */
export async function issueConsoleLink(models: Models, grant: ConsoleGrant, baseUrl: string, now: Date): Promise<{ url: string; expiresAt: Date }> {
  const t = token();
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await models.ConsoleLink.create({ _id: hash(t), ...grant, createdAt: now, expiresAt });
  return { url: new URL(`/admin/login?t=${t}`, baseUrl).toString(), expiresAt };
}

/** Opens a session with a link: "expired" for an unknown, old or already used link. */
export async function redeemConsoleLink(models: Models, linkToken: string, now: Date): Promise<{ status: "ok"; cookie: string; session: ConsoleSession } | { status: "expired" }> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(linkToken)) return { status: "expired" };
  const link = await models.ConsoleLink.findById(hash(linkToken)).lean();
  if (!link || link.expiresAt.getTime() <= now.getTime()) return { status: "expired" };
  const use = await decideTransition(models, { entity: link._id, slot: "used", kind: "used", at: now });
  if (!use.won) return { status: "expired" };
  const cookie = token();
  const session = { _id: hash(cookie), schoolId: link.schoolId, identityId: link.identityId, role: link.role, classGroupId: link.classGroupId, csrf: token(), createdAt: now, lastSeenAt: now };
  await models.ConsoleSession.create(session);
  return { status: "ok", cookie, session: toSession(session) };
}

const toSession = (d: { _id: string; schoolId: string; identityId: string; role: string; classGroupId: string; csrf: string }): ConsoleSession => ({
  id: d._id, schoolId: d.schoolId, identityId: d.identityId, role: d.role as ConsoleRole, classGroupId: d.classGroupId, csrf: d.csrf,
});

/** The session of a cookie, or undefined (unknown, or idle too long: then it is deleted). Touches it. */
export async function sessionOf(models: Models, cookie: string | undefined, now: Date): Promise<ConsoleSession | undefined> {
  if (!cookie || !/^[A-Za-z0-9_-]{20,64}$/.test(cookie)) return undefined;
  const doc = await models.ConsoleSession.findById(hash(cookie)).lean();
  if (!doc) return undefined;
  if (now.getTime() - doc.lastSeenAt.getTime() > IDLE_TIMEOUT_MS) {
    await models.ConsoleSession.deleteOne({ _id: doc._id });
    return undefined;
  }
  // A homeroom teacher's session lasts only while they are the class's current teacher (issue 13: a replaced teacher loses access at once).
  if (doc.role === "homeroom-teacher" && !teachesClass(await rolesOf(models, doc.identityId), doc.classGroupId)) {
    await models.ConsoleSession.deleteOne({ _id: doc._id });
    return undefined;
  }
  // Only lastSeenAt is ever updated, and any writer's value is fine: no contest to decide.
  if (now.getTime() - doc.lastSeenAt.getTime() > 60_000) await models.ConsoleSession.updateOne({ _id: doc._id }, { $set: { lastSeenAt: now } });
  return toSession(doc);
}

export async function signOut(models: Models, session: ConsoleSession): Promise<void> {
  await models.ConsoleSession.deleteOne({ _id: session.id });
}

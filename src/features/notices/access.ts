/**
 * Who may open a notice: its author and the school's leadership (principal, vice-principals).
 * Anybody else gets "not found", never "forbidden", so nothing about another class leaks.
 */
import { leadsSchool } from "../../domain/roles.js";
import type { NoticeActor } from "./port.js";
import { loadNotice, type NoticeDeps, type NoticeDoc } from "./deps.js";

export function mayManage(actor: NoticeActor, d: NoticeDoc): boolean {
  return d.authorIdentityId === actor.identityId || leadsSchool(actor.roles, d.schoolId);
}

/** The notice when the actor may manage it. */
export async function managedNotice(deps: NoticeDeps, actor: NoticeActor, id: string): Promise<NoticeDoc | undefined> {
  const d = await loadNotice(deps, id);
  return d && mayManage(actor, d) ? d : undefined;
}

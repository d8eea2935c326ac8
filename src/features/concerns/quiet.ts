/** A staff member's own quiet hours for concerns addressed to them (non-urgent ones wait until they end). */
import { isNightWindow } from "../../domain/school-clock.js";
import { currentYearName } from "../../store/concern-calendar.js";
import { log, settingsOf, type ConcernDeps } from "./context.js";
import type { ConcernActor, QuietHoursChange, StaffQuietHours } from "./port.js";

/** Their own hours (`custom`), else the school's default for staff; undefined for non-staff. */
export async function myQuietHours(deps: ConcernDeps, actor: ConcernActor): Promise<StaffQuietHours | undefined> {
  const schoolId = actor.roles.staff[0]?.schoolId;
  if (!schoolId) return undefined;
  const own = await deps.concerns.StaffQuietHours.findById(actor.identityId).lean();
  if (own) return { start: own.start, end: own.end, sundays: own.sundays, custom: true };
  return { ...(await settingsOf(deps, schoolId, await currentYearName(deps.models, schoolId, deps.clock.now()))).calendar.quiet, custom: false };
}

/** Changes them ("invalid" for a window that is not a night); one document per person. */
export async function setMyQuietHours(deps: ConcernDeps, actor: ConcernActor, change: QuietHoursChange): Promise<StaffQuietHours | "invalid" | undefined> {
  const current = await myQuietHours(deps, actor);
  if (!current) return undefined;
  if (change === "default") {
    await deps.concerns.StaffQuietHours.deleteOne({ _id: actor.identityId });
  } else {
    const next = { start: current.start, end: current.end, sundays: current.sundays, ...change };
    if (!isNightWindow(next)) return "invalid";
    await deps.concerns.StaffQuietHours.updateOne({ _id: actor.identityId }, { $set: { ...next, updatedAt: deps.clock.now() } }, { upsert: true });
  }
  log(deps, { identityId: actor.identityId, change: change === "default" ? "default" : Object.keys(change).join(",") }, "concern quiet hours changed");
  return myQuietHours(deps, actor);
}

/**
 * A school's time zone (`School.timeZone`), else the deployment's `SCHOOL_TIME_ZONE`: the zone
 * every clock of the school runs in (quiet hours, reminder times, working hours, deadlines)
 * and the zone its outbox messages show dates in. Remembered for a minute per school (a change
 * shows within that), like the directory's zone of a person.
 */
import type { Models } from "./models.js";

/** The zone when neither the school nor the deployment names one. */
export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** How long a school's zone is remembered. */
const ZONE_TTL_MS = 60_000;

const cache = new WeakMap<object, Map<string, { zone: string | undefined; until: number }>>();

/** The school's own zone, or `fallback` (the deployment default) when it sets none. */
export async function schoolTimeZone(models: Pick<Models, "School">, schoolId: string, fallback: string = DEFAULT_TIME_ZONE): Promise<string> {
  return (await schoolZoneSetting(models, schoolId)) ?? fallback;
}

/** The zone the school itself sets (`School.timeZone`), undefined when it sets none. */
export async function schoolZoneSetting(models: Pick<Models, "School">, schoolId: string): Promise<string | undefined> {
  if (!schoolId) return undefined;
  const zones = cache.get(models.School) ?? new Map<string, { zone: string | undefined; until: number }>();
  cache.set(models.School, zones);
  const known = zones.get(schoolId);
  if (known && known.until > Date.now()) return known.zone;
  const zone = (await models.School.findById(schoolId).select({ timeZone: 1 }).lean())?.timeZone || undefined;
  zones.set(schoolId, { zone, until: Date.now() + ZONE_TTL_MS });
  return zone;
}

/** The items, each to be shown in `timeZone` (the school's) when the outbox renders it. */
export function inZone<T extends { timeZone?: string }>(items: T[], timeZone: string): T[] {
  return items.map((i) => ({ ...i, timeZone }));
}

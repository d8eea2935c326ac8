/**
 * Retention of concern texts (privacy notice: kept "until the school year is archived"): a
 * resolved ticket keeps its summary (number, category, dates, rating — the school's statistics)
 * but loses the words — its messages' texts and photos, its incident report's texts and the
 * payloads of what was sent about it — once `months` have passed since its school year ended.
 * A year without an end date ends on 31 May of its second calendar year ("2026-2027" → 2027-05-31).
 */
import type { Models } from "../../store/models.js";
import type { ConcernModels } from "../../store/concern-models.js";
import { redactDeliveryGroups } from "../../store/deliveries.js";

export interface ConcernRetentionDeps {
  models: Models;
  concerns: ConcernModels;
  now: () => Date;
  /** Months after the end of the ticket's school year. */
  months: number;
}

const CHUNK = 500;

/** When a school year ended: its `endsOn`, else 31 May of the second year of its name. */
export function yearEnd(year: { name: string; endsOn?: Date | null }): Date | undefined {
  if (year.endsOn) return year.endsOn;
  const m = /^(\d{4})\s*-\s*(\d{4})$/.exec(year.name.trim());
  return m ? new Date(Date.UTC(Number(m[2]), 4, 31, 23, 59)) : undefined;
}

/** Empties the words of resolved tickets whose year ended `months` ago. Returns how many messages lost their text. */
export async function expireClosedConcernTexts(deps: ConcernRetentionDeps): Promise<number> {
  const cutoff = new Date(deps.now());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - deps.months);
  const years = (await deps.models.SchoolYear.find({}).lean()).filter((y) => (yearEnd(y)?.getTime() ?? Infinity) < cutoff.getTime());
  let n = 0;
  for (const y of years) {
    const ids = (await deps.concerns.Concern.find({ schoolId: y.schoolId, yearName: y.name, status: "resolved" }).select({ _id: 1 }).lean()).map((t) => t._id);
    for (let i = 0; i < ids.length; i += CHUNK) n += await redactTickets(deps, ids.slice(i, i + CHUNK));
  }
  return n;
}

async function redactTickets(deps: ConcernRetentionDeps, candidates: string[]): Promise<number> {
  const C = deps.concerns;
  // Tickets done on an earlier day have no words left: skip them (the job runs daily, forever).
  const ids = (await C.ConcernMessage.distinct("concernId", { concernId: { $in: candidates }, $or: [{ text: { $ne: "" } }, { photoRef: { $ne: "" } }] })).map(String);
  if (ids.length === 0) return 0;
  const messages = await C.ConcernMessage.updateMany(
    { concernId: { $in: ids }, $or: [{ text: { $ne: "" } }, { photoRef: { $ne: "" } }] }, { $set: { text: "", photoRef: "" } });
  await C.ConcernIncident.updateMany({ concernId: { $in: ids } }, { $set: { whatHappened: "", when: "", informed: "", actions: "" } });
  await redactDeliveryGroups(deps.models, ids.map((id) => `pa-${id}`));
  return messages.modifiedCount ?? 0;
}

/**
 * Per-school meeting settings: the reminder ladder, one small document per school
 * (`meeting_settings`, `_id` = schoolId). A school without one uses the default ladder (3 days
 * and 1 day before at 19:00, 2 hours before). Quiet hours are not kept here: every send waits
 * out the school's nightly window from its calendar (`school-calendar.ts`).
 */
import { DEFAULT_LADDER, formatLadder, parseLadder, type Rung } from "../domain/meeting-reminders.js";
import type { MeetingModels } from "./meeting-models.js";

/** The school's ladder, or `fallback` (the default) when it has none or the stored one no longer reads. */
export async function meetingLadderOf(M: Pick<MeetingModels, "MeetingSettings">, schoolId: string, fallback: readonly Rung[] = DEFAULT_LADDER): Promise<readonly Rung[]> {
  const doc = await M.MeetingSettings.findById(schoolId).lean();
  return (doc ? parseLadder(doc.ladder) : undefined) ?? fallback;
}

/** Stores the school's ladder (an admin's setting; one writer). */
export async function setMeetingLadder(M: Pick<MeetingModels, "MeetingSettings">, schoolId: string, ladder: readonly Rung[]): Promise<readonly Rung[]> {
  await M.MeetingSettings.updateOne({ _id: schoolId }, { $set: { ladder: formatLadder(ladder), updatedAt: new Date() } }, { upsert: true });
  return ladder;
}

/**
 * Per-school meeting settings: the reminder ladder and quiet hours, one small document per
 * school (`meeting_settings`, `_id` = schoolId). A school without one uses the defaults
 * (3 days and 1 day before at 19:00, 2 hours before; quiet 21:00–06:30).
 */
import { DEFAULT_LADDER, DEFAULT_QUIET_HOURS, formatLadder, parseLadder, type QuietHours, type Rung } from "../domain/meeting-reminders.js";
import type { MeetingModels } from "./meeting-models.js";

export interface MeetingSettings {
  ladder: readonly Rung[];
  quietHours: QuietHours;
}

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = { ladder: DEFAULT_LADDER, quietHours: DEFAULT_QUIET_HOURS };

/** The school's settings, or `fallback` (the defaults) when it has none or the stored ladder no longer reads. */
export async function meetingSettingsOf(M: MeetingModels, schoolId: string, fallback: MeetingSettings = DEFAULT_MEETING_SETTINGS): Promise<MeetingSettings> {
  const doc = await M.MeetingSettings.findById(schoolId).lean();
  const ladder = doc ? parseLadder(doc.ladder) : undefined;
  return doc && ladder ? { ladder, quietHours: { start: doc.quietStart, end: doc.quietEnd } } : fallback;
}

/** Stores the school's settings; what is not given keeps its current (or default) value. */
export async function setMeetingSettings(M: MeetingModels, schoolId: string, change: Partial<MeetingSettings>): Promise<MeetingSettings> {
  const current = await meetingSettingsOf(M, schoolId);
  const next: MeetingSettings = { ladder: change.ladder ?? current.ladder, quietHours: change.quietHours ?? current.quietHours };
  await M.MeetingSettings.updateOne({ _id: schoolId },
    { $set: { ladder: formatLadder(next.ladder), quietStart: next.quietHours.start, quietEnd: next.quietHours.end, updatedAt: new Date() } }, { upsert: true });
  return next;
}

/**
 * The school's nightly quiet hours, read from its calendar (`school_calendars`, see
 * concern-calendar.ts for the whole calendar): the window every non-urgent send to the school's
 * families and staff waits out. Sundays are not held here (they are a teacher's own setting for
 * concerns). A school without a calendar gets 21:00–06:30.
 */
import { SCHOOL_NIGHT, type QuietHours } from "../domain/quiet-hours.js";
import type { Models } from "./models.js";

/** The school's nightly window for a school year ("" = the school-wide calendar, then the defaults). */
export async function schoolQuietHours(models: Pick<Models, "SchoolCalendar">, schoolId: string, yearName = ""): Promise<QuietHours> {
  const doc = (yearName ? await models.SchoolCalendar.findById(`${schoolId}#${yearName}`).lean() : null) ?? (await models.SchoolCalendar.findById(schoolId).lean());
  return doc ? { start: doc.quietStart, end: doc.quietEnd, sundays: false } : SCHOOL_NIGHT;
}

/** Sets the school-wide calendar's nightly window (an admin's setting; other calendar fields keep their values or defaults). */
export async function setSchoolQuietHours(models: Pick<Models, "SchoolCalendar">, schoolId: string, quiet: { start: number; end: number }): Promise<void> {
  await models.SchoolCalendar.updateOne({ _id: schoolId }, { $set: { quietStart: quiet.start, quietEnd: quiet.end } }, { upsert: true });
}

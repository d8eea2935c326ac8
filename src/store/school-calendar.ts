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

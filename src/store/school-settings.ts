/**
 * A school's rollover settings, one small document per school (`school_settings`, `_id` =
 * schoolId): how its class names move up a grade (a template, see domain/year-rollover.ts) and
 * which grade leaves at the end of the year (0 = by the school's level). An admin's setting with
 * one writer at a time; a school without one uses the defaults.
 */
import { Schema, type Connection } from "mongoose";
import { DEFAULT_NAMING } from "../domain/year-rollover.js";

const schema = new Schema({
  _id: { type: String, required: true },
  classNaming: { type: String, default: DEFAULT_NAMING },
  finalGrade: { type: Number, default: 0 },
  updatedAt: { type: Date, default: Date.now },
}, { versionKey: false });

export interface SchoolSettings {
  classNaming: string;
  /** 0: by the school's level (5, 9 or 12). */
  finalGrade: number;
}

export interface SchoolSettingsRepo {
  get(schoolId: string): Promise<SchoolSettings>;
  set(schoolId: string, change: Partial<SchoolSettings>): Promise<SchoolSettings>;
}

const build = (conn: Connection) => conn.model("SchoolSetting", schema, "school_settings");

/** The settings repository on a connection (the model registers once per connection). */
export function createSchoolSettings(conn: Connection): SchoolSettingsRepo {
  // One app registers once; a second call on the same connection reuses the model.
  const Model = (conn.models.SchoolSetting as ReturnType<typeof build> | undefined) ?? build(conn);
  const get = async (schoolId: string): Promise<SchoolSettings> => {
    const doc = (await Model.findById(schoolId).lean()) as Partial<SchoolSettings> | null;
    return { classNaming: doc?.classNaming ?? DEFAULT_NAMING, finalGrade: doc?.finalGrade ?? 0 };
  };
  return {
    get,
    async set(schoolId, change) {
      await Model.updateOne({ _id: schoolId }, { $set: { ...change, updatedAt: new Date() } }, { upsert: true });
      return get(schoolId);
    },
  };
}

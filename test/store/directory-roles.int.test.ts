/**
 * The directory keeps what a person's grants name for a few seconds (`ROLES_TTL_MS`), never the
 * grants: a grant or revocation, and a homeroom change, show on the very next turn, in every
 * process (two directories here are two processes).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { createDirectory, ROLES_TTL_MS } from "../../src/store/directory.js";
import { decideTransition } from "../../src/store/facts.js";
import { homeroomEntity } from "../../src/store/versioned-facts.js";
import { teachesClass } from "../../src/domain/roles.js";
import type { Directory } from "../../src/engine/ports.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { seedMeetingWorld, type MeetingWorld } from "../meetings/support/meeting-fixture.js";

describe("the directory's roles on each turn", { timeout: 60_000 }, () => {
  const config = testConfig("directory-roles");
  const db = useDatabase(config);
  let w: MeetingWorld;
  beforeAll(async () => {
    w = await seedMeetingWorld(db.models, { account: "bot" });
  });
  const at = (d: Directory, userId: string) => d.resolve({ channel: "telegram", account: "bot", userId, chatId: userId });

  it("a replaced homeroom teacher loses the class at once in every process, and the new one gains it at once", async () => {
    const m = db.models;
    const [a, b] = [createDirectory(m), createDirectory(m)];
    const oldStaffId = (await m.StaffRole.findOne({ identityId: w.identities.teacher }).lean())!.staffId;
    await decideTransition(m, { entity: homeroomEntity(w.classId), slot: "v0", kind: "assigned", at: new Date(), data: { staffId: oldStaffId, identityId: w.identities.teacher } });
    // The new teacher is linked already (another role), and both processes have seen both teachers.
    const hung = await m.Staff.create({ schoolId: w.schoolId, fullName: "Phạm Văn Hùng", title: "Thầy" });
    const hungId = (await m.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: "9301", chatId: "9301" }))._id;
    await m.StaffRole.create({ identityId: hungId, staffId: hung._id, schoolId: w.schoolId, role: "teacher", classGroupId: "" });
    for (const d of [a, b]) {
      expect(teachesClass((await at(d, "9001")).roles, w.classId)).toBe(true);
      expect(teachesClass((await at(d, "9301")).roles, w.classId)).toBe(false);
    }
    // The assignment is decided (its projection not written yet): the old teacher is out already.
    await decideTransition(m, { entity: homeroomEntity(w.classId), slot: "v1", kind: "assigned", at: new Date(), data: { staffId: hung._id, identityId: hungId } });
    for (const d of [a, b]) expect(teachesClass((await at(d, "9001")).roles, w.classId)).toBe(false);
    // The projection: the old role deleted, the new one written.
    await m.StaffRole.deleteMany({ role: "homeroom-teacher", classGroupId: w.classId });
    await m.StaffRole.create({ identityId: hungId, staffId: hung._id, schoolId: w.schoolId, role: "homeroom-teacher", classGroupId: w.classId });
    for (const d of [a, b]) {
      expect(teachesClass((await at(d, "9001")).roles, w.classId)).toBe(false);
      const roles = (await at(d, "9301")).roles;
      expect(teachesClass(roles, w.classId)).toBe(true);
      expect(roles.staff.find((s) => s.role === "homeroom-teacher")).toMatchObject({ className: "6A1", staffName: "Phạm Văn Hùng" });
    }
  });

  it("a child linked or unlinked shows on the next turn; a renamed pupil within ROLES_TTL_MS; a flow's change to its roles never reaches the next turn", async () => {
    const m = db.models;
    const d = createDirectory(m);
    const children = async () => (await at(d, "9201")).roles.guardianOf.map((g) => g.studentName).sort();
    expect(await children()).toEqual(["Trần Thị Bình"]);
    const link = await m.GuardianLink.create({ identityId: w.identities.binhMom, studentId: w.students.chau, schoolId: w.schoolId });
    expect(await children()).toEqual(["Lê Minh Châu", "Trần Thị Bình"]);
    await m.GuardianLink.deleteOne({ _id: link._id });
    expect(await children()).toEqual(["Trần Thị Bình"]);

    const person = await at(d, "9201");
    person.roles.guardianOf.length = 0;
    expect(await children()).toEqual(["Trần Thị Bình"]);

    // What a grant names (here a pupil's name) is kept a few seconds, then read again.
    await m.Student.updateOne({ _id: w.students.binh }, { $set: { fullName: "Trần Thị Bình An" } });
    await eventually(async () => expect(await children()).toEqual(["Trần Thị Bình An"]), { timeoutMs: ROLES_TTL_MS + 5_000, intervalMs: 250 });
  });
});

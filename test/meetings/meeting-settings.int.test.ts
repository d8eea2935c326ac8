import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { cliOn } from "../support/cli.js";

describe("per-school reminder ladder and quiet hours, set with the admin CLI and used when planning", () => {
  const { h, world } = useMeetingWorld("meet-settings");
  const cli = cliOn(h.config, () => h.db);
  const publish = async (eventId: string) => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "other", agenda: "x" }), eventId);
    if (r.status !== "published") throw new Error(r.status);
    return r.meeting.id;
  };
  const delayedIds = async () => (await h.reminderQueue().getJobs(["delayed"])).map((j) => j.id).sort();

  it("shows the defaults for a school without settings, and stores a typed ladder and quiet hours", async () => {
    expect(JSON.parse((await cli("meetings", "settings", "--school", world.schoolId)).out)).toEqual({ school: world.schoolId, ladder: "3d@19:00,1d@19:00,2h", quiet: "21:00-06:30" });
    const set = await cli("meetings", "settings", "--school", world.schoolId, "--ladder", "2d@18:00, 30m", "--quiet", "22:00-07:00");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toEqual({ school: world.schoolId, ladder: "2d@18:00,30m", quiet: "22:00-07:00" });
    // Only the quiet hours: the ladder stays.
    expect(JSON.parse((await cli("meetings", "settings", "--school", world.schoolId, "--quiet", "21:30-06:00")).out)).toMatchObject({ ladder: "2d@18:00,30m", quiet: "21:30-06:00" });
    await expect(cli("meetings", "settings", "--school", world.schoolId, "--ladder", "2 ngày")).rejects.toThrow(/--ladder is like/);
    await expect(cli("meetings", "settings", "--school", world.schoolId, "--quiet", "22h-7h")).rejects.toThrow(/--quiet is like/);
    await expect(cli("meetings", "settings", "--school", "no-such-school", "--quiet", "22:00-07:00")).rejects.toThrow(/no school/);
    expect(await h.meetings.MeetingSettings.countDocuments({})).toBe(1);
  });

  it("publishing plans the school's own ladder", async () => {
    await cli("meetings", "settings", "--school", world.schoolId, "--ladder", "2d@18:00,30m");
    const id = await publish("ev-a");
    expect(await delayedIds()).toEqual([`mrem-${id}-v1-d2-1800`, `mrem-${id}-v1-m30`]);
    // 17/09 18:00 in Hà Nội is 11:00 UTC.
    const job = await h.reminderQueue().getJob(`mrem-${id}-v1-d2-1800`);
    expect(job!.opts.delay).toBe(new Date("2026-09-17T11:00:00Z").getTime() - h.clock.now().getTime());

    // A reschedule re-plans with the ladder in force then, removing the old rungs.
    await cli("meetings", "settings", "--school", world.schoolId, "--ladder", "1d@19:00");
    await h.service.reschedule(await world.actor(world.identities.teacher), id, new Date("2026-09-26T12:30:00Z"));
    expect(await delayedIds()).toEqual([`mrem-${id}-v2-d1-1900`]);
  });

  it("another school's settings change nothing here: the defaults apply", async () => {
    const other = await h.db.models.School.create({ name: "THCS Khác", slug: "thcs-khac" });
    await cli("meetings", "settings", "--school", other._id, "--ladder", "5h", "--quiet", "20:00-08:00");
    const id = await publish("ev-b");
    expect(await delayedIds()).toEqual([`mrem-${id}-v1-d1-1900`, `mrem-${id}-v1-d3-1900`, `mrem-${id}-v1-m120`]);
  });

  it("a rung inside the school's quiet hours is skipped unless it is the last one", async () => {
    await cli("meetings", "settings", "--school", world.schoolId, "--ladder", "2d@19:00,1d@20:30,2h,4h", "--quiet", "15:00-06:30");
    const id = await publish("ev-c");
    // 19:00 and 20:30 the days before, and 15:30 ("4h") are fine by default but quiet here; 17:30 ("2h") is the last rung.
    expect(await delayedIds()).toEqual([`mrem-${id}-v1-m120`]);
  });

  it("invitations wait for the end of the school's quiet hours, not the default ones", async () => {
    await cli("meetings", "settings", "--school", world.schoolId, "--quiet", "22:00-07:00");
    h.clock.set(new Date("2026-09-14T14:30:00Z")); // 21:30 in Hà Nội: quiet by default, not for this school
    const first = await publish("ev-d");
    h.clock.set(new Date("2026-09-14T23:45:00Z")); // 06:45 next morning: not quiet by default, quiet here until 07:00
    const second = await publish("ev-e");
    const delays = async (meetingId: string) => {
      const invites = await h.db.models.Delivery.find({ group: `minv-${meetingId}` }).lean();
      expect(invites).toHaveLength(3);
      const jobs = await h.queues.outbox.getJobs(["delayed", "waiting"]);
      return jobs.filter((j) => invites.some((d) => d._id === j.data.deliveryId)).map((j) => j.opts.delay ?? 0);
    };
    expect(await delays(first)).toEqual([0, 0, 0]);
    expect(await delays(second)).toEqual([15 * 60_000, 15 * 60_000, 15 * 60_000]);
  });
});

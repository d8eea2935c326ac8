/**
 * The school office (văn thư, role "admin") manages records but reads no concern contents:
 * /phananh refuses them in the bot, and no ticket of their school is theirs to see.
 */
import { describe, expect, it } from "vitest";
import { addressKey } from "../../src/engine/messages.js";
import { viewerOf, type Ticket } from "../../src/features/concerns/context.js";
import type { Roles } from "../../src/domain/roles.js";
import { createTestEngine } from "../support/fakes.js";

const office: Roles = { guardianOf: [], board: [], staff: [{ role: "admin", schoolId: "s1", classGroupId: "", className: "", staffName: "Đỗ Thị Mai" }] };

describe("the school office and concerns", () => {
  it("/phananh tells the school office that concerns are handled by the homeroom teacher and Ban giám hiệu", async () => {
    const t = createTestEngine();
    t.directory.people.set(addressKey(t.address("3001")), { identityId: "office", roles: office, locale: "vi" });
    const texts = t.texts(await t.send("/phananh", "3001"));
    expect(texts.join("\n")).toContain("không xem nội dung phản ánh");
    t.directory.people.get(addressKey(t.address("3001")))!.locale = "en";
    expect(t.texts(await t.send("/concern", "3001")).join("\n")).toContain("does not read parents' concerns");
  });

  it("no ticket of the school, urgent or escalated, is visible to the school office", () => {
    const base = { _id: "t1", schoolId: "s1", classGroupId: "c1", guardianIdentityId: "g1", category: "study", urgent: false, escalations: 0, status: "open" } as unknown as Ticket;
    for (const t of [base, { ...base, urgent: true }, { ...base, status: "escalated", escalations: 1 }, { ...base, category: "teacher" }])
      expect(viewerOf({ identityId: "office", roles: office }, t as Ticket)).toBeUndefined();
  });
});

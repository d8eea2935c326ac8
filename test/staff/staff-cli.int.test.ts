/** `npm run cli -- staff homeroom`: assigning and changing a class's homeroom teacher from the terminal. */
import { describe, expect, it } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useCli } from "../support/cli.js";

describe("admin CLI: staff homeroom", () => {
  const { db, cli } = useCli(testConfig("staff-cli"));

  it("assigns a teacher not linked yet (a homeroom code), changes to another (the first code revoked), and refuses another school's class", async () => {
    const school = (await cli("school", "create", "--name", "Trường THCS Lê Lợi", "--slug", "thcs-le-loi-hr")).json();
    const year = (await cli("year", "create", "--school", String(school._id), "--name", "2026-2027")).json();
    const klass = (await cli("class", "create", "--school", String(school._id), "--year", String(year._id), "--name", "7A2")).json();
    const lan = (await cli("staff", "add", "--school", String(school._id), "--name", "Nguyễn Thị Lan", "--title", "Cô")).json();
    const hung = (await cli("staff", "add", "--school", String(school._id), "--name", "Phạm Văn Hùng", "--title", "Thầy")).json();
    const assign = (staff: unknown) => cli("staff", "homeroom", "--school", String(school._id), "--class", String(klass._id), "--staff", String(staff));

    const first = (await assign(lan._id)).json();
    expect(first).toMatchObject({ status: "assigned", version: 1, told: false });
    expect(first.code).toMatch(/^[0-9A-Z]{13}$/);
    // Not linked yet: assigning her again gives the same code again.
    expect((await assign(lan._id)).json()).toMatchObject({ status: "assigned", version: 2, code: first.code });
    const second = (await assign(hung._id)).json();
    expect(second).toMatchObject({ status: "assigned", version: 3 });
    expect((await db.models.InviteCode.findById(String(first.code)).lean())!.revoked).toBe(true);

    const other = (await cli("school", "create", "--name", "Trường khác", "--slug", "khac-hr")).json();
    await expect(cli("staff", "homeroom", "--school", String(other._id), "--class", String(klass._id), "--staff", String(hung._id))).rejects.toThrow(/no such class/);
  });
});

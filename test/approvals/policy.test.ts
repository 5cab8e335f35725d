/** Who may approve: the APPROVERS list, the approver user group (cached), the two-person rule. */
import { describe, expect, it } from "vitest";
import { createApproverPolicy } from "../../src/approvals/policy.ts";

describe("approver policy", () => {
  const cases = [
    { name: "listed approver", approvers: ["UA"], user: "UA", requester: "UR", self: false, ok: true },
    {
      name: "unlisted user",
      approvers: ["UA"],
      user: "UX",
      requester: "UR",
      self: false,
      ok: false,
      why: /not an approver/,
    },
    {
      name: "self-approval",
      approvers: ["UA"],
      user: "UA",
      requester: "UA",
      self: false,
      ok: false,
      why: /cannot also approve/,
    },
    {
      name: "self-approval allowed on purpose",
      approvers: ["UA"],
      user: "UA",
      requester: "UA",
      self: true,
      ok: true,
    },
    {
      name: "no approvers configured",
      approvers: [],
      user: "UA",
      requester: "UR",
      self: false,
      ok: false,
      why: /no approvers/,
    },
  ];
  it.each(cases)("$name", async ({ approvers, user, requester, self, ok, why }) => {
    const policy = createApproverPolicy({ approvers, allowSelfApproval: self });
    const result = policy.assertMayApprove(user, requester);
    if (ok) await expect(result).resolves.toBeUndefined();
    else
      await expect(result).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(why!) });
  });

  it("user-group members approve; the lookup is cached for its TTL and shared by concurrent checks", async () => {
    let clock = 0;
    let lookups = 0;
    let members = ["UG1", "UG2"];
    const policy = createApproverPolicy({
      approvers: [],
      usergroup: "S1",
      allowSelfApproval: false,
      cacheTtlMs: 60_000,
      now: () => clock,
      listUsergroupMembers: async (id) => {
        expect(id).toBe("S1");
        lookups++;
        return members;
      },
    });
    await Promise.all(Array.from({ length: 20 }, () => policy.assertMayApprove("UG1", "UR")));
    expect(lookups).toBe(1);
    await expect(policy.assertMayApprove("UX", "UR")).rejects.toMatchObject({ code: "forbidden" });
    members = ["UX"];
    clock += 30_000;
    await expect(policy.isApprover("UX")).resolves.toBe(false); // still cached
    clock += 31_000;
    await expect(policy.isApprover("UX")).resolves.toBe(true);
    expect(lookups).toBe(2);
    expect(policy.describe("UR")).toBe("members of <!subteam^S1>");
  });

  it("a failing user-group lookup refuses (fails closed)", async () => {
    const policy = createApproverPolicy({
      approvers: [],
      usergroup: "S1",
      allowSelfApproval: false,
      listUsergroupMembers: async () => {
        throw new Error("missing_scope");
      },
    });
    await expect(policy.assertMayApprove("UA", "UR")).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("missing_scope"),
    });
  });

  it("describes who may approve, leaving out the requester", () => {
    const policy = createApproverPolicy({
      approvers: ["UA", "UB", "UR"],
      usergroup: "S9",
      allowSelfApproval: false,
    });
    expect(policy.describe("UR")).toBe("<@UA>, <@UB> or members of <!subteam^S9>");
  });
});

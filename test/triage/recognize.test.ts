import { describe, expect, it } from "vitest";
import { recognizeAlarm } from "../../src/triage/recognize.ts";
import { CASES } from "./fixtures.ts";

describe("recognizeAlarm", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const notice = recognizeAlarm(c.message);
    if (c.expect === null) {
      expect(notice).toBeNull();
      return;
    }
    expect(notice).not.toBeNull();
    expect(notice).toMatchObject(c.expect);
  });

  it("keeps a console link when the message has one", () => {
    const n = recognizeAlarm(CASES[0].message);
    expect(n?.link).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\//);
  });
});

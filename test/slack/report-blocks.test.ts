import { describe, expect, it } from "vitest";
import { offerKey } from "../../src/remediate/offers.ts";
import { blockKitBuilderUrl, BLOCK_KIT_BUILDER, previewMessage } from "../../src/cli/blocks.ts";
import type { Report } from "../../src/domain/report.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import { renderError } from "../../src/slack/blocks/errors.ts";
import { foldLines, LIMITS, limitViolations, truncate } from "../../src/slack/blocks/limits.ts";
import { renderReport } from "../../src/slack/blocks/report.ts";
import { renderTriageReply } from "../../src/slack/blocks/triage.ts";
import type { Block } from "../../src/slack/message.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import { healthyReport, hugeReport, incompleteReport, keepaliveReport } from "./fixtures.ts";

function offersFor(report: Report): Record<string, string> {
  const ids: Record<string, string> = {};
  let n = 0;
  for (const f of report.findings)
    for (const x of f.fixes)
      if (x.automated) ids[offerKey(f.id, x.id)] ??= `fx_test${String(++n).padStart(6, "0")}`;
  return ids;
}

type AnyBlock = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function buttons(blocks: Block[]): any[] {
  return (blocks as AnyBlock[]).flatMap((b) =>
    b.type === "section" && b.accessory?.type === "button"
      ? [b.accessory]
      : b.type === "actions"
        ? b.elements.filter((e: { type: string }) => e.type === "button")
        : [],
  );
}

function texts(blocks: Block[]): string {
  return JSON.stringify(blocks);
}

describe("report renderer", () => {
  it("puts the root cause, its evidence, key figures and a fix button carrying only the offer id", () => {
    const report = keepaliveReport();
    const offerIds = offersFor(report);
    const { text, blocks } = renderReport(report, { offerIds });
    expect(text).toContain("keepalive-race");
    const all = texts(blocks!);
    expect(all).toContain("*Root cause:*");
    expect(all).toContain("412 of 418 ELB 502s");
    expect(all).toContain("confidence 90%");
    const fields = (blocks as AnyBlock[]).find((b) => b.fields)!.fields.map((f: { text: string }) => f.text);
    expect(fields).toEqual(
      expect.arrayContaining(["*ELB 502s*\n418", "*Unhealthy targets*\n0 / 3", "*Idle timeout*\n60 s"]),
    );
    expect(fields).toEqual(expect.arrayContaining(["*ELB 503s*\n0", "*ELB 460s / 464s*\n12 / 0"]));
    expect(fields).toContain(
      "*Target p99*\n412 ms\n_of all requests a target answered, from the access logs_",
    );
    const [fix, ...rest] = buttons(blocks!);
    expect(fix.action_id).toBe(ACTION.fix);
    expect(fix.value).toBe(offerIds[offerKey("keepalive-race", "set-idle-timeout")]);
    expect(fix.confirm.title.text).toBe("Plan this fix?");
    // The info finding's automated fix (enable access logs) gets a button too; guidance gets none.
    expect(rest.map((b: { value: string }) => b.value)).toEqual([
      offerIds[offerKey("access-logs-disabled", "enable-access-logs")],
    ]);
    expect(all).toContain("keepAliveTimeout = 65_000");
    expect(all).toMatch(/```server\.keepAliveTimeout/);
  });

  it("shows no fix buttons without saved offers, and says why when approvals are unavailable", () => {
    const { blocks } = renderReport(keepaliveReport(), {
      approvalsUnavailable: "Approvals are unavailable right now",
    });
    expect(buttons(blocks!)).toEqual([]);
    expect(texts(blocks!)).toContain("Approvals are unavailable right now");
  });

  it("names the failed checks and their errors in the context line of an incomplete report", () => {
    const { blocks } = renderReport(incompleteReport());
    const last = blocks![blocks!.length - 1] as AnyBlock;
    expect(last.type).toBe("context");
    expect(last.elements[0].text).toContain("access-logs (AccessDenied: s3:ListBucket on alb-logs)");
    expect(last.elements[0].text).toContain("Skipped: metrics");
    expect(last.elements[0].text).toContain("1/3 checks ran");
  });

  it("keeps a report with 40 findings and long evidence within every Slack limit", () => {
    const report = hugeReport();
    const { text, blocks } = renderReport(report, { offerIds: offersFor(report), extraFixFindings: 40 });
    const b = blocks as AnyBlock[];
    expect(limitViolations(blocks!)).toEqual([]);
    expect(b.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    for (const block of b) {
      if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.fields) expect(block.fields.length).toBeLessThanOrEqual(10);
      if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
      if (block.type === "context")
        for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(LIMITS.contextText);
    }
    const bs = buttons(blocks!);
    expect(bs.length).toBeGreaterThan(0);
    for (const btn of bs) {
      expect(btn.text.text.length).toBeLessThanOrEqual(75);
      expect(btn.value.length).toBeLessThanOrEqual(2000);
      expect(btn.value).toMatch(/^fx_test\d{6}$/);
      expect(btn.confirm.title.text.length).toBeLessThanOrEqual(100);
      expect(btn.confirm.text.text.length).toBeLessThanOrEqual(300);
      expect(btn.confirm.confirm.text.length).toBeLessThanOrEqual(30);
      expect(btn.confirm.deny.text.length).toBeLessThanOrEqual(30);
    }
    const all = texts(blocks!);
    expect(all).toMatch(/… and \d+ more evidence/);
    expect(all).toMatch(/… and \d+ more/);
    expect(all).toMatch(/… and \d+ more snippets/);
    // mrkdwn control characters from evidence are escaped, and code cannot close its fence early.
    expect(all).not.toContain("<script>");
    expect(all).toContain("&lt;script&gt;");
    // Each evidence item is capped, its full length noted, so one long item cannot crowd out the others.
    expect(all).toMatch(/… \(1,\d{3} characters\)/);
  });

  it.each([
    ["keep-alive race", keepaliveReport],
    ["healthy", healthyReport],
    ["incomplete", incompleteReport],
  ])("matches the snapshot of the %s message", (_name, build) => {
    const report = build();
    expect(renderReport(report, { offerIds: offersFor(report) })).toMatchSnapshot();
  });
});

describe("limits", () => {
  it("reports violations of an oversized message (so the renderer test can fail)", () => {
    const big: Block[] = Array.from({ length: 51 }, () => ({
      type: "section",
      text: { type: "mrkdwn", text: "x".repeat(3001) },
      accessory: {
        type: "button",
        action_id: "a",
        value: "v".repeat(2001),
        text: { type: "plain_text", text: "l".repeat(76) },
      },
    }));
    const v = limitViolations(big);
    expect(v[0]).toBe("51 blocks > 50");
    expect(v.some((s) => s.includes("text 3001"))).toBe(true);
    expect(v.some((s) => s.includes("button label 76"))).toBe(true);
    expect(v.some((s) => s.includes("button value 2001"))).toBe(true);
  });

  it.each([
    { lines: ["a", "b", "c"], max: 100, maxLines: 10, want: "a\nb\nc" },
    { lines: ["a", "b", "c"], max: 100, maxLines: 1, want: "a\n… and 2 more" },
    { lines: ["aaaaaa", "bbbbbb", "cccccc"], max: 19, maxLines: 10, want: "aaaaaa\n… and 2 more" },
    { lines: [], max: 10, maxLines: 10, want: "" },
  ])("folds $lines.length lines into $max chars", ({ lines, max, maxLines, want }) => {
    const got = foldLines(lines, max, maxLines);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(max);
  });

  it("never exceeds the budget, whatever the line lengths", () => {
    for (const max of [15, 40, 200, 3000]) {
      const lines = Array.from({ length: 50 }, (_, i) => "y".repeat((i * 37) % 500));
      expect(foldLines(lines, max).length).toBeLessThanOrEqual(max);
    }
  });

  it("truncates with an ellipsis and keeps surrogate pairs whole", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("ab😀cd", 4)).toBe("ab…");
  });
});

describe("error messages", () => {
  it("lists the closest names of an unknown load balancer", () => {
    const e = new AlbDoctorError("not-found", "No load balancer named my-alq in us-east-1.", {
      details: { suggestions: ["my-alb", "my-alb-staging"] },
    });
    const m = renderError(e, "checking my-alq");
    expect(m.response_type).toBe("ephemeral");
    expect(m.text).toContain("No load balancer named my-alq");
    expect(m.text).toContain("`my-alb`");
    expect(m.text).toContain("`my-alb-staging`");
  });

  it("gives a generic, non-silent message for unexpected errors", () => {
    const m = renderError(new TypeError("x is undefined"), "checking my-alb", "trig.1");
    expect(m.response_type).toBe("ephemeral");
    expect(m.text).toContain("Something went wrong while checking my-alb");
    expect(m.text).not.toContain("x is undefined");
  });
});

describe("CLI --blocks", () => {
  it("links to Block Kit Builder with the blocks URL-encoded after the #", () => {
    const message = previewMessage(keepaliveReport());
    const url = blockKitBuilderUrl(message);
    expect(url.startsWith(BLOCK_KIT_BUILDER)).toBe(true);
    expect(JSON.parse(decodeURIComponent(url.slice(BLOCK_KIT_BUILDER.length)))).toEqual({
      blocks: message.blocks,
    });
    expect(buttons(message.blocks!).map((b) => b.value)).toEqual(["fx_preview1", "fx_preview2"]);
  });
});

describe("triage thread reply", () => {
  it("keeps the status line within a context element's 2,000 characters, however long the alarm name", () => {
    const alarmName = "a".repeat(2600);
    for (const diagnosis of [null, renderReport(keepaliveReport(), {})]) {
      const reply = renderTriageReply(diagnosis, { lbName: "shop-prod", alarmName, moreAlarms: 3 });
      expect(limitViolations(reply.blocks ?? [])).toEqual([]);
    }
  });
});

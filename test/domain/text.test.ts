/** The outside-text boundary on its own: what each function lets through and what it never does. */
import { describe, expect, it } from "vitest";
import {
  awsConsoleUrl,
  capText,
  cleanText,
  displayPath,
  hasUnsafeChars,
  inlineCode,
  link,
  mapStrings,
  mention,
  mrkdwn,
  slackArchiveUrl,
  terminalText,
} from "../../src/domain/text.ts";

const ZWSP = "\u200b";
const visible = (s: string) => s.replaceAll(ZWSP, "");

describe("cleanText / terminalText", () => {
  it("removes C0/C1 controls, DEL and bidi marks, keeps newlines, turns CR and tabs harmless", () => {
    const hostile = "a\u001b[2Jb\u0007c\u009bd\u007fe\u202ef\u2066g\u200eh\u061ci\r\nj\rk\tl\u2028m";
    const out = cleanText(hostile);
    expect(out).toBe("a[2Jbcdefghi\nj\nk l\nm");
    expect(hasUnsafeChars(out)).toBe(false);
    expect(terminalText("x\ny", { inline: true })).toBe("x y");
  });

  it("keeps ordinary Unicode as it is", () => {
    expect(cleanText("café € 日本 🙂")).toBe("café € 日本 🙂");
  });
});

describe("mrkdwn", () => {
  it.each([
    "<!channel>",
    "<!here|here>",
    "<!everyone>",
    "<@U123>",
    "<#C123>",
    "<https://evil.example|Acknowledge>",
    "<!date^1^{date}|x>",
  ])("leaves %s as text", (hostile) => {
    const out = mrkdwn(hostile);
    expect(out).not.toMatch(/[<>]/);
    expect(out.startsWith("&lt;")).toBe(true);
  });

  it("escapes & first, so entity-encoded markup cannot decode into live markup", () => {
    expect(mrkdwn("&gt;&lt;!channel&gt;")).toBe("&amp;gt;&amp;lt;!channel&amp;gt;");
  });

  it("breaks bare broadcast words and linkable URL schemes", () => {
    expect(visible(mrkdwn("@here look"))).toBe("@here look");
    expect(mrkdwn("@here look")).not.toMatch(/@here/);
    expect(mrkdwn("see https://evil.example/x")).not.toContain("https://");
    expect(mrkdwn("s3://bucket/key")).toBe("s3://bucket/key");
  });

  it("keeps formatting markers from pairing, and leaves underscores inside words alone", () => {
    for (const marked of ["*bold*", "_x_", "~x~", "`code`"]) {
      const out = mrkdwn(`before ${marked} after`);
      expect(out).not.toContain(marked);
      expect(visible(out)).toBe(`before ${marked} after`);
    }
    expect(mrkdwn("HTTPCode_ELB_5XX_Count and idle_timeout.timeout_seconds")).toBe(
      "HTTPCode_ELB_5XX_Count and idle_timeout.timeout_seconds",
    );
    expect(mrkdwn("/api/*")).toBe("/api/*");
  });

  it("strips control and bidi characters", () => {
    expect(hasUnsafeChars(mrkdwn("x\u001b[2J\u202ey"))).toBe(false);
  });
});

describe("code spans", () => {
  it("cannot be closed early and show the value otherwise verbatim", () => {
    expect(inlineCode("/api/v1/health")).toBe("`/api/v1/health`");
    expect(inlineCode("a`<!channel>`b")).toBe("`aˋ&lt;!channel&gt;ˋb`");
    expect(inlineCode("x\ny")).toBe("`x y`");
  });
});

describe("links", () => {
  it.each([
    "https://console.aws.amazon.com/cloudwatch/home",
    "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/x",
    "https://eu-west-1.console.aws.amazon.com/cloudwatch/deeplink.js?region=eu-west-1",
  ])("accepts the console URL %s", (url) => {
    expect(awsConsoleUrl(url, "/cloudwatch")).toBeDefined();
  });

  it.each([
    "https://evil.example/phish?console.aws.amazon.com/cloudwatch",
    "https://console.aws.amazon.com.evil.example/cloudwatch/x",
    "https://evilconsole.aws.amazon.com/cloudwatch/x",
    "http://console.aws.amazon.com/cloudwatch/x",
    "https://user:pw@console.aws.amazon.com/cloudwatch/x",
    "https://console.aws.amazon.com:8443/cloudwatch/x",
    "javascript:alert(1)//console.aws.amazon.com/cloudwatch",
    "https://console.aws.amazon.com/ec2/home",
    "not a url",
  ])("refuses %s", (url) => {
    expect(awsConsoleUrl(url, "/cloudwatch")).toBeUndefined();
  });

  it("encodes what would end the link, and escapes the label", () => {
    const url = awsConsoleUrl("https://console.aws.amazon.com/cloudwatch/home?a=1&b=x|y")!;
    const out = link(url, "<!channel>");
    expect(out).toBe("<https://console.aws.amazon.com/cloudwatch/home?a=1&amp;b=x%7Cy|&lt;!channel&gt;>");
  });

  it("builds Slack archive links from ids only", () => {
    expect(slackArchiveUrl("C0123ABC", "1700000000.000100")).toBe(
      "https://slack.com/archives/C0123ABC/p1700000000000100",
    );
    expect(slackArchiveUrl("C1|<!channel>", "1.2")).toBeUndefined();
    expect(slackArchiveUrl("C0123ABC", "1.2>")).toBeUndefined();
  });

  it("mentions only real user ids", () => {
    expect(mention("U0ALICE")).toBe("<@U0ALICE>");
    expect(mention("<!channel>")).toBe("&lt;!channel&gt;");
    expect(mention("U1> <!here")).not.toContain("<");
  });
});

describe("displayPath", () => {
  it("decodes percent-encoded UTF-8 and raw UTF-8 read as latin1, without mojibake", () => {
    expect(displayPath("/%E2%82%AC/caf%C3%A9")).toBe("/€/café");
    expect(displayPath(Buffer.from("/€/café", "utf8").toString("latin1"))).toBe("/€/café");
  });

  it("shows invalid sequences escaped, and keeps ASCII escapes as logged", () => {
    expect(displayPath("/%C3%28/%FF/%E2%82")).toBe("/%C3%28/%FF/%E2%82");
    expect(displayPath("/a%2Fb%20c%3C")).toBe("/a%2Fb%20c%3C");
    expect(displayPath("/%C0%AF")).toBe("/%C0%AF"); // overlong "/"
  });

  it("shows a decoded control or bidi character escaped, and strips raw ones", () => {
    expect(displayPath("/x%E2%80%AEy")).toBe("/x%E2%80%AEy");
    expect(displayPath("/x%C2%9By")).toBe("/x%C2%9By");
    expect(displayPath("/a\u001b[2Jb")).toBe("/a[2Jb");
  });
});

describe("capText and mapStrings", () => {
  it("cuts long values and says how long they were", () => {
    expect(capText("short", 10)).toBe("short");
    const out = capText("x".repeat(6000), 400);
    expect(out).toBe(`${"x".repeat(400)}… (6,000 characters)`);
    expect(capText("a🙂b", 2)).toBe("a… (4 characters)");
  });

  it("maps every string, keys included, without touching the input", () => {
    const input = { a: ["x\u001b", { "k\u202e": "v\u0007" }], n: 1, z: null };
    const out = mapStrings(input, (s) => cleanText(s));
    expect(out).toEqual({ a: ["x", { k: "v" }], n: 1, z: null });
    expect(input.a[0]).toBe("x\u001b");
  });
});

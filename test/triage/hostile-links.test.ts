/**
 * Console links in alarm messages are parsed, never searched for: a phishing URL that merely contains
 * "console.aws.amazon.com", or markup smuggled after a real console URL, never becomes the alarm's link.
 */
import { describe, expect, it } from "vitest";
import { parseAmazonQ } from "../../src/triage/parsers/amazon-q.ts";
import { parseAlarmEmail } from "../../src/triage/parsers/email.ts";
import { statusLine } from "../../src/slack/blocks/triage.ts";
import { recognizeAlarm } from "../../src/triage/recognize.ts";
import { LB_ID } from "./fixtures.ts";

const PHISH = "https://evil.example/phish?console.aws.amazon.com/cloudwatch";
const SMUGGLED =
  "https://us-east-1.console.aws.amazon.com/cloudwatch/home#alarm:x><!channel><https://evil.example|Acknowledge";

const email = (
  link: string,
) => `You are receiving this email because your Amazon CloudWatch Alarm "shop-5xx" in the US East (N. Virginia) region has entered the ALARM state, because "x" at "Sunday 15 March, 2026 14:21:10 UTC".
${link}
- MetricNamespace: AWS/ApplicationELB
- Dimensions: [LoadBalancer = ${LB_ID}]`;

describe("alarm console links", () => {
  it("e-mail: a URL that only mentions the console host is no link", () => {
    expect(parseAlarmEmail(email(PHISH))?.link).toBeUndefined();
    expect(
      parseAlarmEmail(email(`${PHISH} https://console.aws.amazon.com.evil.example/cloudwatch/x`))?.link,
    ).toBeUndefined();
  });

  it("e-mail: markup after a console URL is not part of it", () => {
    const link = parseAlarmEmail(email(SMUGGLED))?.link;
    expect(link).toBe("https://us-east-1.console.aws.amazon.com/cloudwatch/home#alarm:x");
  });

  it("Amazon Q: the same", () => {
    const text = `CloudWatch Alarm | shop-5xx | us-east-1 | Account: 123456789012\nstate ALARM - ${LB_ID} HTTPCode_ELB_5XX_Count\n${PHISH}`;
    expect(parseAmazonQ(text, {})?.link).toBeUndefined();
    expect(parseAmazonQ(text.replace(PHISH, SMUGGLED), {})?.link).toBe(
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home#alarm:x",
    );
  });

  it("links in the message's markup or attachments: parsed, not substring-tested", () => {
    const notice = recognizeAlarm({
      type: "message",
      text: `shop-prod ALB is throwing 502s <${PHISH}|View in CloudWatch>`,
      attachments: [{ title: "alarm", title_link: PHISH }],
    });
    expect(notice).not.toBeNull();
    expect(notice!.link).toBeUndefined();
    const ok = recognizeAlarm({
      type: "message",
      text: "shop-prod ALB is throwing 502s <https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1|View>",
    });
    expect(ok!.link).toBe("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1");
  });
});

describe("the thread reply's status line", () => {
  it("links only a validated console URL and the bot's own Slack archive link", () => {
    const line = statusLine({
      lbName: "shop-prod",
      alarmName: "<!channel>",
      alarmPermalink: "https://evil.example/archives/C1/p1",
      consoleLink: PHISH,
      moreAlarms: 0,
    });
    expect(line).not.toContain("<http");
    expect(line).not.toContain("<!channel>");
    const good = statusLine({
      lbName: "shop-prod",
      alarmPermalink: "https://slack.com/archives/C0INCIDENT/p1773584101000100",
      consoleLink: "https://us-east-1.console.aws.amazon.com/cloudwatch/home?a=1&b=2",
      moreAlarms: 0,
    });
    expect(good).toContain("<https://slack.com/archives/C0INCIDENT/p1773584101000100|an alarm>");
    expect(good).toContain(
      "<https://us-east-1.console.aws.amazon.com/cloudwatch/home?a=1&amp;b=2|open in CloudWatch>",
    );
  });
});

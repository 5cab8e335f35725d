/**
 * Is this message an alarm about an ALB? The parsers are tried from the most structured to the least:
 * SNS JSON, CloudWatch e-mail, Amazon Q Developer, then a person's sentence. Anything else is ignored.
 */
import { awsConsoleUrl } from "../domain/text.ts";
import type { AlarmNotice, SlackMessageEvent } from "./alarm.ts";
import { messageLinks, messageText } from "./message-text.ts";
import { parseAmazonQ } from "./parsers/amazon-q.ts";
import { parseAlarmEmail } from "./parsers/email.ts";
import { parsePlainSentence } from "./parsers/plain.ts";
import { parseSnsJson } from "./parsers/sns-json.ts";

export function recognizeAlarm(message: SlackMessageEvent): AlarmNotice | null {
  const text = messageText(message);
  if (!text.trim()) return null;
  const notice =
    parseSnsJson(text) ?? parseAlarmEmail(text) ?? parseAmazonQ(text, message) ?? parsePlainSentence(text);
  if (!notice) return null;
  if (!notice.link) {
    // Parsed, not searched: "https://evil.example/phish?console.aws.amazon.com/cloudwatch" is no console link.
    const console = messageLinks(message)
      .map((l) => awsConsoleUrl(l, "/cloudwatch"))
      .find((l) => l !== undefined);
    if (console) notice.link = console;
  }
  return notice;
}

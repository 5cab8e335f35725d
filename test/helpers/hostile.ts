/**
 * Hostile strings, and the check that a message built from them has nothing live in it: no mention or
 * broadcast, no link to a host the bot did not choose, no date token it did not build, no control or bidi
 * character, no formatting pair from outside, no 6,000-character value shown whole.
 */
/* eslint-disable no-control-regex -- finding control characters is the point of these patterns */

export const LONG = `https://shop.example/${"A".repeat(6000)}`;

/** Every entry is outside text an alarm, a log line, an AWS name or a user could carry. */
export const HOSTILE = [
  "<!channel>",
  "<!here|here>",
  "<!everyone>",
  "<https://evil.example|Acknowledge>",
  "&gt;&lt;!channel&gt;&lt;https://evil.example|Acknowledge&gt;",
  "*bold*",
  "_x_",
  "~x~",
  "`code`",
  "```fence```",
  "\u001b[2J",
  "\u202e",
  "\r\n",
  "%C3%28%FF%E2%80%AE",
  "<@U123>",
  "<#C123>",
  "https://evil.example/phish?console.aws.amazon.com/cloudwatch",
  LONG,
];

/** The same without control characters and CR LF (AWS names and XML carry none). */
export const HOSTILE_PRINTABLE = HOSTILE.filter((s) => !/[\u0000-\u001f]/.test(s));

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** What the bot itself writes: date tokens, and mentions of the test's own users and approver group. */
const BOT_TOKEN = /<!date\^\d+\^\{[^}]*\}(?: \{[^}]*\})?\|[^<>|]*>|<!subteam\^S0[A-Z0-9]+>/g;
const LINK_HOSTS = /^(?:slack\.com|console\.aws\.amazon\.com|[a-z0-9-]+\.console\.aws\.amazon\.com)$/;

/** Problems found in any string of a Slack message (text, blocks, attachments) or a response_url body. */
export function inertProblems(message: unknown, users: string[]): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string, plain: boolean) => {
    if (typeof node === "string") {
      checkString(node, path, plain, users, problems);
      return;
    }
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`, plain));
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      const isPlain = plain || o.type === "plain_text";
      for (const [k, v] of Object.entries(o)) visit(v, `${path}.${k}`, isPlain);
    }
  };
  visit(message, "", false);
  return problems;
}

function checkString(s: string, at: string, plain: boolean, users: string[], out: string[]): void {
  const say = (what: string, needle?: string | RegExp) => {
    const i = needle === undefined ? 0 : Math.max(0, s.search(needle) - 60);
    out.push(`${at}: ${what}: ${JSON.stringify(s.slice(i, i + 160))}`);
  };
  if (CONTROL.test(s)) say("control character", CONTROL);
  if (BIDI.test(s)) say("bidi character", BIDI);
  if (s.includes("A".repeat(1000))) say("a 6,000-character value shown whole");
  if (plain) return; // plain_text shows markup as text; only the characters above matter there
  let rest = s.replace(BOT_TOKEN, "");
  for (const u of users) rest = rest.split(`<@${u}>`).join("");
  if (rest.includes("<!")) say("live <! (broadcast, date or group)", /<!/);
  if (rest.includes("<@")) say("live user mention", /<@/);
  if (rest.includes("<#")) say("live channel link", /<#/);
  for (const m of rest.matchAll(/<([a-z][a-z0-9+.-]*:[^|>]*)/gi)) {
    let host: string;
    try {
      const u = new URL(m[1]);
      host = u.protocol === "https:" ? u.hostname : "";
    } catch {
      host = "";
    }
    if (!LINK_HOSTS.test(host)) say(`link to ${m[1].slice(0, 80)}`);
  }
  // The URL part of a link (checked above) and code (shown verbatim: Slack formats and links nothing in it)
  // are not prose: formatting pairs and bare URLs count outside them only.
  rest = rest.replace(/<[a-z][a-z0-9+.-]*:[^|>]*\|?/gi, "<").replace(/```[^`]*```|`[^`\n]*`/g, "");
  if (/https:\/\/evil\.example/.test(rest)) say("a bare URL Slack would link", /https:\/\/evil\.example/);
  for (const marked of ["*bold*", "_x_", "~x~"])
    if (rest.includes(marked)) say(`formatting ${marked}`, new RegExp(marked.replace(/[*]/g, "\\*")));
}

/** Problems in terminal text: control characters other than newlines (and, with colour, our own SGR codes). */
export function terminalProblems(text: string, options: { color?: boolean } = {}): string[] {
  const problems: string[] = [];
  const stripped = options.color ? text.replace(/\u001b\[\d+m/g, "") : text;
  if (CONTROL.test(stripped))
    problems.push(
      `control character in ${JSON.stringify(stripped.match(/.{0,40}[\u0000-\u0009\u000b-\u001f\u007f-\u009f].{0,40}/)?.[0])}`,
    );
  if (BIDI.test(stripped)) problems.push("bidi character");
  if (stripped.includes("A".repeat(1000))) problems.push("a 6,000-character value shown whole");
  return problems;
}

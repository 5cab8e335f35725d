/**
 * All the text of a Slack message, in reading order: the text field, every text inside blocks (sections,
 * fields, headers, context, rich text), and attachments (pretext, title, text, fields, fallback, footer).
 * Alarm parsers read this flat text, so one parser serves every way a notifier lays out its message.
 */
import type { SlackMessageEvent } from "./alarm.ts";

export function messageText(m: SlackMessageEvent): string {
  const parts: string[] = [];
  if (m.text) parts.push(m.text);
  for (const b of m.blocks ?? []) collect(b, parts);
  for (const a of m.attachments ?? []) {
    for (const s of [a.pretext, a.title, a.text]) if (s) parts.push(s);
    for (const f of a.fields ?? []) parts.push(`${f.title ?? ""}: ${f.value ?? ""}`);
    for (const b of a.blocks ?? []) collect(b, parts);
    if (a.fallback) parts.push(a.fallback);
    if (a.footer) parts.push(a.footer);
  }
  return unescapeSlack(parts.join("\n"));
}

/** Links found in the message (attachment title links and <url|label> markup). */
export function messageLinks(m: SlackMessageEvent): string[] {
  const links = (m.attachments ?? []).map((a) => a.title_link).filter((x): x is string => Boolean(x));
  const raw = [m.text ?? "", JSON.stringify(m.blocks ?? []), JSON.stringify(m.attachments ?? [])].join("\n");
  for (const match of raw.matchAll(/<(https:\/\/[^|>\s"]+)(?:\|[^>]*)?>/g)) links.push(match[1]);
  for (const match of raw.matchAll(/"url":"(https:\/\/[^"]+)"/g)) links.push(match[1]);
  return [...new Set(links)];
}

function collect(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, out);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const o = node as Record<string, unknown>;
  if (typeof o.text === "string") out.push(o.text);
  else if (o.text) collect(o.text, out);
  for (const key of ["fields", "elements", "accessory"]) if (o[key]) collect(o[key], out);
  if (o.type === "link" && typeof o.url === "string") out.push(o.url);
}

/** Slack escapes &, < and >; links are <url|label>. Keep the label and the url both. */
function unescapeSlack(s: string): string {
  return s
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, "$2 $1")
    .replace(/<(https?:\/\/[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

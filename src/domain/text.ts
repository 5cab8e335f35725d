/**
 * The one boundary for outside text (alarm messages, log fields, AWS names and tags, request paths, user
 * input) on its way to a person: Slack mrkdwn or a terminal. Everything that did not come from the bot's own
 * code passes through here, so a hostile string can neither page a channel, plant a link, move a terminal's
 * cursor nor reverse the text around it. Pure; no Slack or AWS import, so every layer may call it.
 *
 *  - cleanText: the shared sanitizer (C0/C1 controls, DEL, bidi overrides and isolates removed).
 *  - terminalText: cleanText for terminals (the same thing; named for what the caller means).
 *  - mrkdwn / mrkdwnCode: cleanText, then escape &, < and > (so `<!channel>`, `<@U1>`, `<#C1>` and
 *    `<url|label>` stay text, also when they arrive entity-encoded), break bare broadcast words and URL
 *    schemes, and keep formatting markers from pairing up.
 *  - link: `<url|label>` only for an https URL the bot built or validated (awsConsoleUrl, slackArchiveUrl).
 *  - displayPath: a logged request path as people read it (percent-encoded and raw UTF-8 decoded, invalid
 *    bytes kept as %XX). capText: one long value cannot crowd out the rest.
 */

/** C0 controls except \n and \t, DEL, C1 controls, the bidi marks, embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Line and paragraph separators: newlines to a renderer, so treated as one. */
const SEPARATORS = /[\u2028\u2029]/g;
const ZWSP = "\u200b";

/** True when the text holds a character cleanText removes. */
export function hasUnsafeChars(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * Outside text without control and bidi characters. CR LF and lone CR become LF (a lone CR would let text
 * overwrite a terminal line), tabs become spaces. With `inline`, newlines become spaces too.
 */
export function cleanText(text: string, options: { inline?: boolean } = {}): string {
  let s = String(text).replace(/\r\n?/g, "\n").replace(SEPARATORS, "\n").replace(/\t/g, " ");
  s = s.replace(UNSAFE, "");
  if (options.inline) s = s.replace(/\n+/g, " ");
  return s;
}

/** Outside text for a terminal. The caller adds its own colours after this, never before. */
export function terminalText(text: string, options: { inline?: boolean } = {}): string {
  return cleanText(text, options);
}

/**
 * Cuts `text` to `max` characters (code points kept whole), ending with "… (N characters)" so a reader
 * knows how long the full value is. The result is at most `max` plus that short note.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(1, max));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}… (${text.length.toLocaleString("en-US")} characters)`;
}

/** Escapes the three characters Slack's mrkdwn treats as markup; & first, so entities cannot decode. */
function escapeAngles(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Outside text as Slack mrkdwn. After this nothing in it is live: no mention, no broadcast, no link, no
 * date token; bare `@here`/`@channel`/`@everyone` and `https://` (the schemes Slack links) are broken with a zero-width space (Slack
 * parses them in text objects that are not verbatim); `*`, `_`, `~` that could pair into formatting and
 * every backtick get zero-width spaces around them, so they sit inside a word and format nothing.
 */
export function mrkdwn(text: string, options: { inline?: boolean } = {}): string {
  let s = escapeAngles(cleanText(text, options));
  s = s.replace(/@(channel|here|everyone)\b/gi, `@${ZWSP}$1`);
  s = s.replace(/\b(https?|ftps?|wss?|file|slack):\/\//gi, `$1:${ZWSP}//`);
  s = s.replace(/`/g, `${ZWSP}\`${ZWSP}`);
  for (const marker of ["*", "~"])
    if (count(s, marker) >= 2) s = s.split(marker).join(`${ZWSP}${marker}${ZWSP}`);
  // An underscore inside a word (HTTPCode_ELB_5XX_Count) formats nothing; only one at a word's edge can.
  if (count(s, "_") >= 2) s = wordEdgeUnderscores(s);
  return s;
}

/**
 * Outside text for inside a mrkdwn code span (the caller writes the backticks): escaped, one line, and a
 * backtick in it becomes "ˋ" (U+02CB) so the span cannot be closed early. Otherwise verbatim.
 */
export function mrkdwnCode(text: string): string {
  return escapeAngles(cleanText(text, { inline: true })).replace(/`/g, "\u02cb");
}

/** Outside text for inside a mrkdwn code block (the caller writes the fences): escaped, lines kept. */
export function mrkdwnVerbatim(text: string): string {
  return escapeAngles(cleanText(text));
}

/** `code` as a mrkdwn inline code span. */
export function inlineCode(text: string): string {
  return `\`${mrkdwnCode(text)}\``;
}

function wordEdgeUnderscores(s: string): string {
  const word = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const inside = s[i] === "_" && word(s[i - 1]) && word(s[i + 1]);
    out += s[i] === "_" && !inside ? `${ZWSP}_${ZWSP}` : s[i];
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** A URL that may become a link: built by the bot or validated by one of the functions below. */
export type SafeUrl = string & { readonly __safeUrl: true };

function parseHttps(x: string | undefined): URL | undefined {
  if (!x || x.length > 2048) return undefined;
  let u: URL;
  try {
    u = new URL(x.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:" || u.username || u.password || u.port) return undefined;
  return u;
}

/**
 * An AWS console URL, or undefined. The host is parsed, never searched for: `console.aws.amazon.com` or a
 * subdomain of it (`us-east-1.console.aws.amazon.com`); `https://evil.example/?console.aws.amazon.com` and
 * `https://console.aws.amazon.com.evil.example/` are refused. `path` restricts the service (`/cloudwatch`).
 */
export function awsConsoleUrl(x: string | undefined, path?: string): SafeUrl | undefined {
  const u = parseHttps(x);
  if (!u) return undefined;
  const host = u.hostname.toLowerCase();
  if (host !== "console.aws.amazon.com" && !host.endsWith(".console.aws.amazon.com")) return undefined;
  if (!/^[a-z0-9.-]+$/.test(host) || host.includes("..")) return undefined;
  if (path && u.pathname !== path && !u.pathname.startsWith(`${path}/`)) return undefined;
  return u.href as SafeUrl;
}

/** A Slack archive link the bot builds from a channel id and a message ts; undefined for anything else. */
export function slackArchiveUrl(channel: string, ts: string): SafeUrl | undefined {
  if (!/^[CDG][A-Z0-9]{2,30}$/.test(channel) || !/^\d{1,12}\.\d{1,8}$/.test(ts)) return undefined;
  return `https://slack.com/archives/${channel}/p${ts.replace(".", "")}` as SafeUrl;
}

/** A link `<url|label>` for a URL that passed validation; the label is outside text like any other. */
export function link(url: SafeUrl, label: string): string {
  // Characters that would end the link or start its label are percent-encoded; & is escaped as Slack wants.
  const href = url.replace(
    /[<>|\s"`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return `<${href.replace(/&/g, "&amp;")}|${mrkdwn(label, { inline: true }).replace(/\|/g, "¦")}>`;
}

/** `<@U123>` for a Slack user id; anything else is shown as (escaped) text, never as a mention. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(userId) ? `<@${userId}>` : mrkdwn(userId, { inline: true });
}

/**
 * A request path from an access log as people read it. Log fields are read as latin1 (one char per byte),
 * so raw UTF-8 and %XX escapes of bytes 0x80-0xFF are decoded as UTF-8 together; a byte that does not form
 * valid UTF-8 is shown as %XX (never as mojibake). ASCII escapes (%2F, %3C, %20...) stay as logged: decoding
 * them would change what the path means. A decoded control or bidi character is shown escaped too.
 */
export function displayPath(raw: string): string {
  const out: string[] = [];
  const bytes: { b: number; escaped: boolean }[] = [];
  const flush = () => {
    out.push(decodeUtf8Run(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 && /^[89A-Fa-f][0-9A-Fa-f]$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push({ b: parseInt(raw.slice(i + 1, i + 3), 16), escaped: true });
      i += 2;
    } else if (c >= 0x80 && c <= 0xff) {
      bytes.push({ b: c, escaped: false });
    } else {
      if (bytes.length) flush();
      out.push(raw[i]);
    }
  }
  if (bytes.length) flush();
  return cleanText(out.join(""), { inline: true });
}

const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;

/** Decodes a run of bytes >= 0x80 as UTF-8, keeping each byte that is not part of a valid sequence as %XX. */
function decodeUtf8Run(run: { b: number }[]): string {
  let s = "";
  for (let i = 0; i < run.length;) {
    const b = run[i].b;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const next = run[i + k]?.b;
      if (next === undefined || (next & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if (ok && ((need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (ok && cp >= 0xd800 && cp <= 0xdfff) ok = false;
    const ch = ok ? String.fromCodePoint(cp) : "";
    if (ok && !hasUnsafeChars(ch)) {
      s += ch;
      i += need + 1;
    } else if (ok) {
      for (let k = 0; k <= need; k++) s += hex(run[i + k].b);
      i += need + 1;
    } else {
      s += hex(b);
      i++;
    }
  }
  return s;
}

/** Every string inside a JSON-like value passed through `fn` (objects and arrays copied, nothing mutated). */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === "string") return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = mapStrings(v, fn);
    return out as T;
  }
  return value;
}

/** Button values, click payloads and reply texts for the accounts tests (as bolt.test.ts sends them). */
import type { FakeSlack, TestApp } from "../helpers/slack-harness.ts";

type Element = { type: string; action_id?: string; value?: string };
type AnyBlock = { type: string; accessory?: Element; elements?: Element[] };

export function buttonValue(blocks: unknown, actionId: string): string | undefined {
  for (const b of (blocks ?? []) as AnyBlock[]) {
    if (b.accessory?.action_id === actionId) return b.accessory.value;
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el) return el.value;
  }
  return undefined;
}

let seq = 0;
export function clickPayload(
  actionId: string,
  value: string,
  user: string,
  channel: string,
  fake: FakeSlack,
) {
  const ts = `1700000000.${String(++seq).padStart(6, "0")}`;
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T0TEST" },
    api_app_id: "A0ALBDOCTOR",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${seq}.trigger`,
    team: { id: "T0TEST", domain: "test-team" },
    channel: { id: channel, name: "c" },
    message: { type: "message", ts, text: "", user: "U0BOT" },
    response_url: fake.responseUrl(`click-${seq}`),
    actions: [
      { type: "button", action_id: actionId, block_id: "b", value, action_ts: `${Date.now() / 1000}.${seq}` },
    ],
  };
}

/** The hook's replies as one text (blocks included), once `done` holds. */
export async function finalText(t: TestApp, hook: string, done: (s: string) => boolean): Promise<string> {
  const all = () =>
    t.fake
      .postsTo(hook)
      .map((p) => String(p.body.text ?? ""))
      .join("\n");
  await t.fake.waitFor(() => (done(all()) ? true : undefined), 15_000, "the reply");
  return all();
}

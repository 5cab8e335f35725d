/**
 * Socket Mode: a local WebSocket server plays Slack's side. apps.connections.open (on the fake Web API)
 * returns its ws:// URL; it says hello, sends a slash-command envelope, and expects the envelope to be
 * acknowledged over the socket and the answer posted to the command's response_url.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { keepaliveReport } from "./fixtures.ts";
import {
  FAKE_TEAM,
  startFakeSlack,
  startTestApp,
  type FakeSlack,
  type TestApp,
} from "../helpers/slack-harness.ts";

interface Envelope {
  envelope_id: string;
  payload?: { text?: string; response_type?: string };
}

describe("Socket Mode", () => {
  let fake: FakeSlack;
  let wss: WebSocketServer;
  let socket: WebSocket | undefined;
  const received: Envelope[] = [];
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeSlack();
    wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await once(wss, "listening");
    fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=test`;
    wss.on("connection", (ws) => {
      socket = ws;
      ws.on("message", (data) => received.push(JSON.parse(String(data))));
      ws.send(
        JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0ALBDOCTOR" } }),
      );
    });
    t = await startTestApp({
      fake,
      env: { SLACK_APP_TOKEN: "xapp-1-A0ALBDOCTOR-test", SLACK_SIGNING_SECRET: undefined },
      diagnose: async (ref) => {
        const r = keepaliveReport();
        return { ...r, loadBalancer: { ...r.loadBalancer, name: ref } };
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    for (const c of wss?.clients ?? []) c.terminate();
    await new Promise((r) => wss?.close(r));
    await fake?.close();
  });

  it("opens the connection with the app-level token", () => {
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0].token).toBe("xapp-1-A0ALBDOCTOR-test");
    expect(socket).toBeDefined();
  });

  it("acknowledges a slash-command envelope over the socket and posts the answer to response_url", async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: "env-check-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: {
          token: "x",
          team_id: FAKE_TEAM.id,
          team_domain: FAKE_TEAM.domain,
          channel_id: "C0INCIDENT",
          channel_name: "incidents",
          user_id: "U0ALICE",
          user_name: "alice",
          command: "/alb",
          text: "check shop-prod",
          api_app_id: "A0ALBDOCTOR",
          response_url: fake.responseUrl("socket-1"),
          trigger_id: "333.444.socket",
        },
      }),
    );
    const ack = await fake.waitFor(
      () => received.find((e) => e.envelope_id === "env-check-1"),
      5000,
      "the ack",
    );
    expect(ack.payload).toEqual({
      response_type: "in_channel",
      text: ":mag: Checking *shop-prod* (last 1h)…",
    });
    const final = await fake.waitFor(
      () => fake.postsTo("socket-1").find((p) => p.body.replace_original),
      5000,
      "the final message",
    );
    expect(final.body.text).toContain("keepalive-race");
    expect(final.body.response_type).toBe("in_channel");
  });

  it("still serves /healthz on PORT", async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

/**
 * Alarm messages as they reach a Slack channel, typed in from the public descriptions of each format:
 * CloudWatch alarm SNS JSON (and its SNS envelope), CloudWatch alarm e-mails, Amazon Q Developer (AWS
 * Chatbot) notifications in blocks and in attachments, and people's sentences. Plus messages to ignore.
 */
import type { SlackMessageEvent } from "../../src/triage/alarm.ts";

export const LB_ID = "app/shop-prod/7c1e9a04d2b35f68";
export const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${LB_ID}`;

export const alarmJson = (
  state: string,
  dimensions = [{ value: LB_ID, name: "LoadBalancer" }],
  ns = "AWS/ApplicationELB",
) => ({
  AlarmName: "shop-prod-elb-5xx",
  AlarmDescription: "ELB 5xx over 10 per minute",
  AWSAccountId: "123456789012",
  AlarmConfigurationUpdatedTimestamp: "2026-02-01T09:00:00.000+0000",
  NewStateValue: state,
  NewStateReason:
    "Threshold Crossed: 1 out of the last 1 datapoints [42.0 (15/03/26 14:20:00)] was greater than the threshold (10.0) (minimum 1 datapoint for OK -> ALARM transition).",
  StateChangeTime: "2026-03-15T14:21:10.123+0000",
  Region: "US East (N. Virginia)",
  AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-prod-elb-5xx",
  OldStateValue: state === "OK" ? "ALARM" : "OK",
  OKActions: [],
  AlarmActions: ["arn:aws:sns:us-east-1:123456789012:ops-alarms"],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: ns === "AWS/RDS" ? "CPUUtilization" : "HTTPCode_ELB_5XX_Count",
    Namespace: ns,
    StatisticType: "Statistic",
    Statistic: "SUM",
    Unit: null,
    Dimensions: dimensions,
    Period: 60,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 10.0,
    TreatMissingData: "missing",
    EvaluateLowSampleCountPercentile: "",
  },
});

const email = (
  state: string,
  from: string,
) => `You are receiving this email because your Amazon CloudWatch Alarm "shop-prod-elb-5xx" in the US East (N. Virginia) region has entered the ${state} state, because "Threshold Crossed: 1 out of the last 1 datapoints [42.0 (15/03/26 14:20:00)] was greater than the threshold (10.0) (minimum 1 datapoint for OK -> ALARM transition)." at "Sunday 15 March, 2026 14:21:10 UTC".

View this alarm in the AWS Management Console:
https://us-east-1.console.aws.amazon.com/cloudwatch/deeplink.js?region=us-east-1#alarmsV2:alarm/shop-prod-elb-5xx

Alarm Details:
- Name:                       shop-prod-elb-5xx
- Description:                ELB 5xx over 10 per minute
- State Change:               ${from} -> ${state}
- Reason for State Change:    Threshold Crossed: 1 out of the last 1 datapoints [42.0 (15/03/26 14:20:00)] was greater than the threshold (10.0).
- Timestamp:                  Sunday 15 March, 2026 14:21:10 UTC
- AWS Account:                123456789012
- Alarm Arn:                  arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-prod-elb-5xx

Threshold:
- The alarm is in the ALARM state when the metric is GreaterThanThreshold 10.0 for at least 1 of the last 1 period(s) of 60 seconds.

Monitored Metric:
- MetricNamespace:                     AWS/ApplicationELB
- MetricName:                          HTTPCode_ELB_5XX_Count
- Dimensions:                          [LoadBalancer = ${LB_ID}]
- Period:                              60 seconds
- Statistic:                           Sum
- Unit:                                not specified
- TreatMissingData:                    missing`;

export interface Case {
  name: string;
  message: SlackMessageEvent;
  expect: null | {
    source: string;
    lbName?: string;
    state?: string;
    metric?: string;
    alarmName?: string;
    time?: string;
  };
}

const bot = { type: "message", subtype: "bot_message", bot_id: "B0AMAZONQ", channel: "C0INCIDENT" };

export const CASES: Case[] = [
  {
    name: "Amazon Q Developer, blocks, ALARM, with dimensions",
    message: {
      ...bot,
      text: "",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: ":rotating_light: *CloudWatch Alarm | shop-prod-elb-5xx | us-east-1 | Account: 123456789012*",
          },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: "*ALARM* - Threshold Crossed: 1 datapoint [42.0 (15/03/26 14:20:00)] was greater than the threshold (10.0).",
          },
        },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Metric*\nHTTPCode_ELB_5XX_Count" },
            { type: "mrkdwn", text: `*Dimensions*\nLoadBalancer = ${LB_ID}` },
          ],
        },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "Show in console" },
              url: "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/shop-prod-elb-5xx",
            },
          ],
        },
      ],
    },
    expect: {
      source: "amazon-q",
      lbName: "shop-prod",
      state: "ALARM",
      metric: "HTTPCode_ELB_5XX_Count",
      alarmName: "shop-prod-elb-5xx",
    },
  },
  {
    name: "Amazon Q Developer (AWS Chatbot), attachment, ALARM by colour, no dimensions",
    message: {
      ...bot,
      attachments: [
        {
          color: "danger",
          title: "CloudWatch Alarm | shop-prod-alb-502 | us-east-1 | Account: 123456789012",
          title_link:
            "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/shop-prod-alb-502",
          text: "Threshold Crossed: 1 datapoint [57.0 (15/03/26 14:20:00)] was greater than or equal to the threshold (5.0).",
          fallback: "CloudWatch Alarm | shop-prod-alb-502 | us-east-1 | Account: 123456789012",
        },
      ],
    },
    expect: { source: "amazon-q", state: "ALARM", alarmName: "shop-prod-alb-502" },
  },
  {
    name: "Amazon Q Developer, attachment, OK",
    message: {
      ...bot,
      attachments: [
        {
          color: "good",
          title: "CloudWatch Alarm | shop-prod-elb-5xx | us-east-1 | Account: 123456789012",
          text: `Threshold no longer crossed. Metric HTTPCode_ELB_5XX_Count, LoadBalancer = ${LB_ID}`,
        },
      ],
    },
    expect: { source: "amazon-q", lbName: "shop-prod", state: "OK" },
  },
  {
    name: "SNS alarm JSON pasted in a code block",
    message: {
      type: "message",
      user: "U0ALICE",
      channel: "C0INCIDENT",
      text: "got this from SNS:\n```" + JSON.stringify(alarmJson("ALARM"), null, 2) + "```",
    },
    expect: {
      source: "sns-json",
      lbName: "shop-prod",
      state: "ALARM",
      metric: "HTTPCode_ELB_5XX_Count",
      time: "2026-03-15T14:21:10.123Z",
    },
  },
  {
    name: "SNS envelope forwarded by a webhook (Message is a JSON string)",
    message: {
      ...bot,
      text: JSON.stringify({
        Type: "Notification",
        MessageId: "5e0a2f5e-3c0d-5a51-9d8a-0f2c7c2f1c11",
        TopicArn: "arn:aws:sns:us-east-1:123456789012:ops-alarms",
        Subject: 'ALARM: "shop-prod-elb-5xx" in US East (N. Virginia)',
        Message: JSON.stringify(
          alarmJson("ALARM", [{ value: LB_ARN.split("loadbalancer/")[1], name: "LoadBalancer" }]),
        ),
        Timestamp: "2026-03-15T14:21:10.200Z",
      }),
    },
    expect: { source: "sns-json", lbName: "shop-prod", state: "ALARM" },
  },
  {
    name: "SNS alarm JSON, OK",
    message: { ...bot, text: JSON.stringify(alarmJson("OK")) },
    expect: { source: "sns-json", lbName: "shop-prod", state: "OK" },
  },
  {
    name: "CloudWatch alarm e-mail forwarded to the channel",
    message: {
      type: "message",
      subtype: "bot_message",
      bot_id: "B0EMAIL",
      channel: "C0INCIDENT",
      text: email("ALARM", "OK"),
    },
    expect: {
      source: "email",
      lbName: "shop-prod",
      state: "ALARM",
      metric: "HTTPCode_ELB_5XX_Count",
      time: "2026-03-15T14:21:10.000Z",
      alarmName: "shop-prod-elb-5xx",
    },
  },
  {
    name: "CloudWatch alarm e-mail, back to OK",
    message: { type: "message", channel: "C0INCIDENT", text: email("OK", "ALARM") },
    expect: { source: "email", lbName: "shop-prod", state: "OK" },
  },
  {
    name: "a person names the ALB and 502s",
    message: {
      type: "message",
      user: "U0BOB",
      channel: "C0INCIDENT",
      text: "the shop-prod ALB is throwing 502s again since 14:10",
    },
    expect: { source: "plain", lbName: "shop-prod", state: "ALARM" },
  },
  {
    name: "a person pastes the DNS name with 504s",
    message: {
      type: "message",
      user: "U0BOB",
      channel: "C0INCIDENT",
      text: "504 gateway timeouts from shop-prod-1234567890.us-east-1.elb.amazonaws.com",
    },
    expect: { source: "plain", lbName: "shop-prod", state: "ALARM" },
  },
  {
    name: "ignored: an RDS alarm",
    message: {
      ...bot,
      text: JSON.stringify(
        alarmJson("ALARM", [{ value: "orders-db", name: "DBInstanceIdentifier" }], "AWS/RDS"),
      ),
    },
    expect: null,
  },
  {
    name: "ignored: chatter",
    message: {
      type: "message",
      user: "U0BOB",
      channel: "C0INCIDENT",
      text: "deploy of shop-web finished, all green",
    },
    expect: null,
  },
  {
    name: "ignored: 502 without a load balancer",
    message: { type: "message", user: "U0BOB", channel: "C0INCIDENT", text: "closed 502 tickets today" },
    expect: null,
  },
  {
    name: "ignored: an EC2 CPU alarm from Amazon Q",
    message: {
      ...bot,
      attachments: [
        {
          color: "danger",
          title: "CloudWatch Alarm | web-cpu-high | us-east-1 | Account: 123456789012",
          text: "Threshold Crossed: CPUUtilization > 80",
        },
      ],
    },
    expect: null,
  },
  { name: "ignored: empty", message: { type: "message", channel: "C0INCIDENT", text: "" }, expect: null },
];

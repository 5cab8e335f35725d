/**
 * Guidance fix for target-protocol-mismatch: a target group's ProtocolVersion is fixed when the group is created
 * (ModifyTargetGroup cannot change it), so the fix is a group with the version the clients speak and a listener
 * rule that sends them there, or a rule that keeps the other clients away from the group that refuses them.
 * Names from AWS appear in the commands only when they are valid target-group names; otherwise a placeholder.
 */
import type { FixSuggestion } from "../../domain/report.ts";
import type { TargetGroup } from "../../domain/snapshot.ts";

/** Who sent the refused requests, as the check worked it out. */
export type MismatchKind = "non-grpc-to-grpc" | "http1-to-http2" | "grpc-to-http1" | "http-version";

const SAFE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

function safeName(name: string, fallback: string): string {
  return SAFE_NAME.test(name) ? name : fallback;
}

/** A new group's name: the old one with a suffix, cut to AWS's 32 characters. */
function newName(g: TargetGroup, suffix: string): string {
  const base = safeName(g.name, "my-group");
  return `${base.slice(0, 32 - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}

export function setProtocolVersionFix(g: TargetGroup, kind: MismatchKind): FixSuggestion {
  const proto = g.protocol === "HTTP" ? "HTTP" : "HTTPS";
  const port = g.port ?? (proto === "HTTP" ? 80 : 443);
  const vpc = g.vpcId && /^vpc-[0-9a-f]+$/.test(g.vpcId) ? g.vpcId : "vpc-...";
  const type = ["instance", "ip"].includes(g.targetType) ? g.targetType : "instance";
  const create = (version: string, name: string) =>
    `aws elbv2 create-target-group --name ${name} --protocol ${proto} --port ${port} \\\n  --protocol-version ${version} --target-type ${type} --vpc-id ${vpc}`;
  switch (kind) {
    case "non-grpc-to-grpc": {
      const name = newName(g, "http");
      return {
        id: "set-protocol-version",
        automated: false,
        summary: `Send the non-gRPC requests (browsers, probes, plain HTTP clients) to an HTTP1 target group through their own listener rule, and keep ${safeName(g.name, "the GRPC group")} for gRPC (content-type application/grpc); if the service does not speak gRPC at all, recreate the group with ProtocolVersion HTTP1`,
        snippets: [
          { label: "an HTTP1 group for the other traffic", language: "shell", code: create("HTTP1", name) },
          {
            label: "a rule that sends only gRPC to the GRPC group (lower priority number wins)",
            language: "shell",
            code: `aws elbv2 create-rule --listener-arn LISTENER_ARN --priority 10 \\\n  --conditions 'Field=http-header,HttpHeaderConfig={HttpHeaderName=content-type,Values=[application/grpc*]}' \\\n  --actions Type=forward,TargetGroupArn=${g.arn.startsWith("arn:") && !/\s/.test(g.arn) ? g.arn : "GRPC_GROUP_ARN"}\n# then point the listener's default action (or the host/path rule) at ${name}`,
          },
        ],
        params: { protocolVersion: "HTTP1", targetGroupArn: g.arn },
      };
    }
    case "grpc-to-http1": {
      const name = newName(g, "grpc");
      return {
        id: "set-protocol-version",
        automated: false,
        summary: `Create a target group with ProtocolVersion GRPC for the gRPC clients and route content-type application/grpc to it; ${safeName(g.name, "the HTTP1 group")} keeps the HTTP/1.1 traffic`,
        snippets: [
          {
            label: "a GRPC group (HTTPS listener, targets serving gRPC)",
            language: "shell",
            code: create("GRPC", name),
          },
          {
            label: "route gRPC to it",
            language: "shell",
            code: `aws elbv2 create-rule --listener-arn LISTENER_ARN --priority 10 \\\n  --conditions 'Field=http-header,HttpHeaderConfig={HttpHeaderName=content-type,Values=[application/grpc*]}' \\\n  --actions Type=forward,TargetGroupArn=NEW_GRPC_GROUP_ARN`,
          },
        ],
        params: { protocolVersion: "GRPC", targetGroupArn: g.arn },
      };
    }
    case "http1-to-http2":
    case "http-version": {
      const name = newName(g, "h1");
      return {
        id: "set-protocol-version",
        automated: false,
        summary: `HTTP2 target groups accept only HTTP/2 requests: recreate ${safeName(g.name, "the group")} with ProtocolVersion HTTP1 (the ALB still speaks HTTP/2 to clients), or route the HTTP/1.1 clients to an HTTP1 group`,
        snippets: [{ label: "an HTTP1 group", language: "shell", code: create("HTTP1", name) }],
        params: { protocolVersion: "HTTP1", targetGroupArn: g.arn },
      };
    }
  }
}

/**
 * Several accounts in one simulator: which World a request reaches, and STS AssumeRole's credentials.
 * A request signed with the scenario's own keys reaches the caller's account; one signed with keys that
 * AssumeRole handed out reaches the role's account. Within an account, the SigV4 scope's region picks an
 * `accounts` entry declared for that region; otherwise the account's first world answers (as before there
 * were regions: S3 clients sign with the bucket's region).
 */
import { randomBytes } from "node:crypto";
import { SimError, type SimRequest } from "./contract.ts";
import type { AccountW, SessionW, World } from "./world.ts";
import { partitionOf } from "./derive-ids.ts";

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/;
const PRESIGNED = /^([^/]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request$/;

/** The access key id and region of the request's SigV4 credential scope (header or presigned URL). */
export function credentialScopeOf(req: SimRequest): { accessKeyId?: string; region?: string } {
  const m =
    CREDENTIAL.exec(req.headers["authorization"] ?? "") ??
    PRESIGNED.exec(req.query.get("X-Amz-Credential") ?? "");
  return m ? { accessKeyId: m[1], region: m[2] } : {};
}

/** The live session a request is signed with, if any (expired sessions are an error, as AWS says). */
export function sessionOf(root: World, req: SimRequest): SessionW | undefined {
  const { accessKeyId } = credentialScopeOf(req);
  const session = accessKeyId ? root.sessions.get(accessKeyId) : undefined;
  if (session && session.expires.getTime() <= Date.now()) {
    throw new SimError("ExpiredToken", "The security token included in the request is expired", 400);
  }
  return session;
}

/** The World that answers this request. */
export function worldFor(root: World, req: SimRequest): World {
  if (root.accounts.length === 0) return root;
  const { accessKeyId, region } = credentialScopeOf(req);
  const session = accessKeyId ? root.sessions.get(accessKeyId) : undefined;
  const account = session?.accountId ?? root.accountId;
  const worlds = [
    ...(account === root.accountId ? [root] : []),
    ...root.accounts.filter((a) => a.accountId === account).map((a) => a.world),
  ];
  return worlds.find((w) => w.region === region) ?? worlds[0] ?? root;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export interface AssumeRoleInput {
  RoleArn?: string;
  RoleSessionName?: string;
  DurationSeconds?: number;
  ExternalId?: string;
  SourceIdentity?: string;
}

function denied(root: World, req: SimRequest, roleArn: string): SimError {
  const caller =
    sessionOf(root, req)?.assumedRoleArn ??
    `arn:${partitionOf(root.region)}:iam::${root.accountId}:user/simulator`;
  return new SimError(
    "AccessDenied",
    `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

/** AssumeRole as STS answers it; the role must be one the scenario declares, with its ExternalId. */
export function assumeRole(root: World, req: SimRequest, input: AssumeRoleInput) {
  const roleArn = input.RoleArn ?? "";
  const sessionName = input.RoleSessionName ?? "";
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw new SimError("ValidationError", `${roleArn || "RoleArn"} is not a valid role ARN.`);
  if (!SESSION_NAME.test(sessionName)) {
    throw new SimError("ValidationError", "RoleSessionName must be 2 to 64 characters of [\\w+=,.@-].");
  }
  const duration = input.DurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw new SimError("ValidationError", `DurationSeconds must be from 900 to 43200, got ${duration}.`);
  }
  if (input.SourceIdentity !== undefined && !SESSION_NAME.test(input.SourceIdentity)) {
    throw new SimError("ValidationError", "SourceIdentity must be 2 to 64 characters of [\\w+=,.@-].");
  }
  const [, partition, accountId, roleName] = m;
  const target: AccountW | undefined = root.accounts.find(
    (a) => a.accountId === accountId && a.roleName === roleName,
  );
  if (!target) throw denied(root, req, roleArn);
  if (target.externalId !== undefined && target.externalId !== input.ExternalId)
    throw denied(root, req, roleArn);

  const accessKeyId = `ASIA${randomBytes(10).toString("hex").toUpperCase().slice(0, 16)}`;
  const assumedRoleArn = `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const expires = new Date(Date.now() + duration * 1000);
  root.sessions.set(accessKeyId, {
    accessKeyId,
    accountId,
    roleArn,
    assumedRoleArn,
    roleSessionName: sessionName,
    ...(input.SourceIdentity !== undefined ? { sourceIdentity: input.SourceIdentity } : {}),
    expires,
  });
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: randomBytes(30).toString("base64"),
      SessionToken: randomBytes(96).toString("base64"),
      Expiration: expires,
    },
    AssumedRoleUser: { AssumedRoleId: `AROA${accountId}SIM:${sessionName}`, Arn: assumedRoleArn },
    PackedPolicySize: 0,
    ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
  };
}

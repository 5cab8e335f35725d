/**
 * Credentials for the accounts reached through a role: STS AssumeRole straight from the bot's own
 * credentials (no chains, so one compromised role cannot reach the next), with the requesting Slack user's
 * id as SourceIdentity and in the session name, so that CloudTrail in the other account shows who asked.
 * Sessions are cached per role and requester until shortly before they expire; concurrent requests for the
 * same session share one AssumeRole call.
 */
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsErrorCode, callAws } from "../aws/call.ts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import type { AccountEntry } from "./file.ts";

export interface RoleSessionOptions {
  /** The STS client signed with the bot's own credentials. */
  sts: STSClient;
  /** Session length asked for (s, default 3600; STS allows 900 up to the role's maximum). */
  durationSeconds?: number;
  /** A cached session is renewed this long before it expires (default 5 min). */
  refreshBeforeMs?: number;
  now?: () => number;
}

/** Sessions kept (one per role and requester); the oldest goes first. */
const MAX_SESSIONS = 1000;

export type RoleCredentials = AwsCredentialIdentity & { sessionToken: string; expiration: Date };

/** STS's character set for SourceIdentity and RoleSessionName: [\w+=,.@-]. */
export function stsSafe(s: string, max = 64): string {
  const clean = s.replace(/[^\w+=,.@-]/g, "-").slice(0, max);
  return clean.length >= 2 ? clean : `${clean}--`.slice(0, 2);
}

export function createRoleSessions(options: RoleSessionOptions) {
  const now = options.now ?? Date.now;
  const refresh = options.refreshBeforeMs ?? 5 * 60_000;
  const cache = new Map<string, Promise<RoleCredentials>>();

  async function assume(account: AccountEntry, requester: string): Promise<RoleCredentials> {
    const roleArn = account.roleArn!;
    try {
      const out = await callAws(
        "sts:AssumeRole",
        (abortSignal) =>
          options.sts.send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: stsSafe(`alb-doctor-${requester}`),
              SourceIdentity: stsSafe(requester),
              DurationSeconds: options.durationSeconds ?? 3600,
              ...(account.externalId ? { ExternalId: account.externalId } : {}),
            }),
            { abortSignal },
          ),
        { resource: roleArn },
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
        throw new AlbDoctorError("aws", `AssumeRole of ${roleArn} answered no credentials`);
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      };
    } catch (e) {
      const code = isAlbDoctorError(e) ? String(e.details?.awsCode ?? e.code) : awsErrorCode(e);
      if (isAlbDoctorError(e, "timeout") || isAlbDoctorError(e, "throttled")) throw e;
      // The message names the account and role, never the credentials.
      throw new AlbDoctorError(
        "access-denied",
        `cannot assume the role of account ${account.alias} (${roleArn}): ${code ?? "refused"}. ` +
          "Check the role's trust policy (it must trust the bot's principal, allow sts:SetSourceIdentity, and its ExternalId).",
        { cause: e, details: { account: account.alias, awsCode: code } },
      );
    }
  }

  return {
    /** Credentials for `account` on behalf of `requester`; undefined for the bot's own account. */
    async credentialsFor(account: AccountEntry, requester: string): Promise<RoleCredentials | undefined> {
      if (!account.roleArn) return undefined;
      const key = `${account.roleArn}|${account.externalId ?? ""}|${requester}`;
      const cached = cache.get(key);
      if (cached) {
        const c = await cached.catch(() => undefined);
        if (c && c.expiration.getTime() - refresh > now()) return c;
      }
      const p = assume(account, requester);
      cache.set(key, p);
      // A failure is not cached: the next request asks STS again (the trust policy may have been fixed).
      p.catch(() => {
        if (cache.get(key) === p) cache.delete(key);
      });
      if (cache.size > MAX_SESSIONS) cache.delete(cache.keys().next().value!);
      return p;
    },
  };
}

export type RoleSessions = ReturnType<typeof createRoleSessions>;

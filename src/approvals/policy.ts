/**
 * Who may approve a plan: the users in APPROVERS and/or the members of APPROVER_USERGROUP (looked up with
 * usergroups.users.list, cached for a minute). The requester may not approve their own plan (two-person rule)
 * unless ALLOW_SELF_APPROVAL=true. With neither list configured nobody may approve: fail closed.
 */
import { AlbDoctorError } from "../domain/errors.ts";

export interface ApproverPolicyOptions {
  approvers: readonly string[];
  usergroup?: string;
  allowSelfApproval: boolean;
  /** usergroups.users.list for the group; required when `usergroup` is set. */
  listUsergroupMembers?: (usergroupId: string) => Promise<string[]>;
  cacheTtlMs?: number;
  now?: () => number;
}

export interface ApproverPolicy {
  /** Throws AlbDoctorError("forbidden") saying why `user` may not approve a plan requested by `requester`. */
  assertMayApprove(user: string, requester: string): Promise<void>;
  isApprover(user: string): Promise<boolean>;
  /** For the plan message: "<@U1>, <@U2> or members of <!subteam^S1>" (never the requester, unless allowed). */
  describe(requester?: string): string;
}

export function createApproverPolicy(options: ApproverPolicyOptions): ApproverPolicy {
  const ttl = options.cacheTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cache: { at: number; members: Set<string> } | null = null;
  let inflight: Promise<Set<string>> | null = null;

  const groupMembers = async (): Promise<Set<string>> => {
    if (!options.usergroup) return new Set();
    if (cache && now() - cache.at < ttl) return cache.members;
    if (!options.listUsergroupMembers)
      throw new AlbDoctorError(
        "config",
        "APPROVER_USERGROUP is set but the Slack user-group lookup is not available",
      );
    // One lookup at a time, however many approvals arrive together.
    inflight ??= options
      .listUsergroupMembers(options.usergroup)
      .then((ids) => {
        cache = { at: now(), members: new Set(ids) };
        return cache.members;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  const isApprover = async (user: string) => {
    if (options.approvers.includes(user)) return true;
    if (!options.usergroup) return false;
    try {
      return (await groupMembers()).has(user);
    } catch (e) {
      throw new AlbDoctorError(
        "forbidden",
        `could not check membership of the approver group (${e instanceof Error ? e.message : String(e)}); nothing was changed`,
        { cause: e },
      );
    }
  };

  const describe = (requester?: string) => {
    const people = options.approvers
      .filter((u) => options.allowSelfApproval || u !== requester)
      .map((u) => `<@${u}>`);
    const parts = [...people];
    if (options.usergroup) parts.push(`members of <!subteam^${options.usergroup}>`);
    if (!parts.length) return "nobody (no approvers configured)";
    return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}`;
  };

  return {
    isApprover,
    async assertMayApprove(user, requester) {
      if (!options.approvers.length && !options.usergroup)
        throw new AlbDoctorError(
          "forbidden",
          "no approvers are configured (set APPROVERS or APPROVER_USERGROUP), so no plan can be approved",
        );
      if (user === requester && !options.allowSelfApproval)
        throw new AlbDoctorError(
          "forbidden",
          `<@${user}> requested this plan and cannot also approve it: another approver must (${describe(requester)})`,
        );
      if (!(await isApprover(user)))
        throw new AlbDoctorError(
          "forbidden",
          `<@${user}> is not an approver: ${describe(requester)} may approve`,
        );
    },
    describe,
  };
}

/**
 * The accounts and regions a scan covers: the accounts file's (filtered by --account / --region, or by a
 * channel's guardrail), each with clients of its own; without a file, the bot's own clients and region.
 */
import type { Accounts } from "../accounts/index.ts";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { ScanScope } from "./fleet.ts";

export interface ScopeOptions {
  accounts?: string[];
  regions?: string[];
  requester: string;
  /** Only these aliases (a channel's guardrail). */
  allowed?: readonly string[];
}

export async function accountScopes(
  accounts: Accounts,
  own: AwsClients,
  options: ScopeOptions,
): Promise<ScanScope[]> {
  const map = accounts.map();
  if (!map) {
    if (options.accounts?.length)
      throw new AlbDoctorError("usage", "no accounts are configured (ACCOUNTS_FILE): drop --account");
    return [{ region: own.region, clients: own }];
  }
  const wanted = options.accounts?.length ? options.accounts : [...map.accounts.keys()];
  const scopes: ScanScope[] = [];
  for (const alias of wanted) {
    const account = map.accounts.get(alias);
    if (!account)
      throw new AlbDoctorError(
        "not-found",
        `unknown account "${alias}": the accounts are ${[...map.accounts.keys()].join(", ")}`,
      );
    if (options.allowed && !options.allowed.includes(alias)) continue;
    const regions = options.regions?.length
      ? account.regions.filter((r) => options.regions!.includes(r))
      : account.regions;
    for (const region of regions) {
      const target = await accounts.targetOf(alias, region, options.requester);
      scopes.push({ alias, region, clients: accounts.clientsFor(target) });
    }
  }
  return scopes;
}

/**
 * Account-qualified references: `staging/shop-prod`, `staging/eu-west-1/shop-prod`, or a plain reference
 * with `--account`/`--region` (CLI); an ARN names its account and region itself. Decided without any AWS
 * call, so an unknown alias or a region outside the account's list is answered at once, naming it.
 */
import { parseLbRef } from "../aws/arn.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { ALIAS, REGION, type AccountEntry, type AccountsMap } from "./file.ts";

export interface QualifiedRef {
  alias?: string;
  region?: string;
  /** The load balancer part: name, ARN, app/NAME/ID or DNS name. */
  lbRef: string;
}

/** `ALIAS/[REGION/]LBREF` -> its parts; anything else (name, ARN, app/NAME/ID, DNS name) is the lbRef. */
export function splitAccountRef(input: string): QualifiedRef {
  const ref = input.trim();
  if (ref.startsWith("arn:")) return { lbRef: ref };
  const slash = ref.indexOf("/");
  if (slash < 0) return { lbRef: ref };
  const first = ref.slice(0, slash);
  // app/NAME/ID and net/NAME/ID are resource ids, never aliases (the file refuses those aliases).
  if (!ALIAS.test(first)) return { lbRef: ref };
  const rest = ref.slice(slash + 1);
  const second = rest.split("/")[0];
  if (REGION.test(second) && rest.length > second.length)
    return { alias: first, region: second, lbRef: rest.slice(second.length + 1) };
  return { alias: first, lbRef: rest };
}

export interface PickOptions {
  /** --account (CLI). */
  account?: string;
  /** --region (CLI). */
  region?: string;
  /** The accounts the asking channel may use: a bare name means the only one, and errors list only these. */
  allowed?: readonly string[];
  /**
   * The refusal for an account outside `allowed`, known or not: the same answer either way, so that a
   * channel learns nothing about accounts it may not use.
   */
  refuse?: (account: string) => AlbDoctorError;
}

export interface PickedAccount {
  account: AccountEntry;
  region: string;
  lbRef: string;
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "none");

/** The account and region a reference means under the accounts file. */
export function pickAccount(map: AccountsMap, input: string, options: PickOptions = {}): PickedAccount {
  const q = splitAccountRef(input);
  const visible = options.allowed ?? [...map.accounts.keys()];
  if (q.alias && options.account && q.alias !== options.account)
    throw new AlbDoctorError(
      "usage",
      `the reference names account ${q.alias} but --account is ${options.account}`,
    );
  let alias = q.alias ?? options.account;
  let region = q.region ?? options.region;
  const parsed = parseLbRef(q.lbRef);
  if (parsed.kind === "arn") {
    const byId = [...map.accounts.values()].find((a) => a.accountId === parsed.accountId);
    if (!byId || !visible.includes(byId.alias)) {
      if (options.refuse) throw options.refuse(`account ${parsed.accountId}`);
      throw new AlbDoctorError(
        "wrong-account",
        `account ${parsed.accountId} is not in the accounts file (accounts: ${list(visible)})`,
      );
    }
    if (alias && alias !== byId.alias)
      throw new AlbDoctorError("usage", `the ARN is in account ${byId.alias}, not ${alias}`);
    if (region && region !== parsed.region)
      throw new AlbDoctorError("wrong-region", `the ARN is in ${parsed.region}, not ${region}`);
    alias = byId.alias;
    region = parsed.region;
  }
  if (!alias) alias = defaultAlias(map, visible);
  // An unknown alias is named as such only where the channel may see every account anyway.
  const seesAll = [...map.accounts.keys()].every((a) => visible.includes(a));
  if (!visible.includes(alias) && options.refuse && (map.accounts.has(alias) || !seesAll))
    throw options.refuse(`account ${alias}`);
  const account = map.accounts.get(alias);
  if (!account)
    throw new AlbDoctorError("not-found", `unknown account "${alias}": the accounts are ${list(visible)}`, {
      details: { suggestions: [...visible] },
    });
  region ??= account.regions[0];
  if (!account.regions.includes(region))
    throw new AlbDoctorError(
      "wrong-region",
      `${region} is not a region of account ${alias} (its regions: ${account.regions.join(", ")})`,
    );
  return { account, region, lbRef: q.lbRef };
}

/** A bare name: the channel's only account, else the bot's own (the account without a role). */
function defaultAlias(map: AccountsMap, visible: readonly string[]): string {
  if (visible.length === 1) return visible[0];
  const own = [...map.accounts.values()].find((a) => !a.roleArn && visible.includes(a.alias));
  if (own) return own.alias;
  throw new AlbDoctorError(
    "usage",
    `which account? Name it: ACCOUNT/NAME or ACCOUNT/REGION/NAME (accounts: ${list(visible)})`,
  );
}

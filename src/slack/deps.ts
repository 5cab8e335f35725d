import type { Logger } from "pino";
import type { Accounts } from "../accounts/index.ts";
import type { ApprovalFlow } from "../approvals/flow.ts";
import type { AwsClients } from "../aws/clients.ts";
import type { Config } from "../config.ts";
import type { Diagnoser } from "../services/types.ts";
import type { Store } from "../store/store.ts";
import type { Work } from "./work.ts";

/**
 * What the Bolt listeners in commands/ are given: explicit dependencies, no globals.
 * Built once by the composition root (src/bot.ts) and passed to every `register(app, deps)`.
 */
export interface AppDeps {
  config: Config;
  logger: Logger;
  store: Store;
  aws: AwsClients;
  diagnose: Diagnoser;
  /** The accounts file and its guardrails; src/bot.ts builds one from ACCOUNTS_FILE when absent. */
  accounts?: Accounts;
  /** The one approval flow of this app (plans, approvals, execution, audit). */
  approvals: ApprovalFlow;
  /** The clock (tests and the simulator's scenario clock may replace it). */
  now: () => Date;
  /** In-process work of the running app (single-flight, graceful drain); createSlackApp fills it in. */
  work?: Work;
}

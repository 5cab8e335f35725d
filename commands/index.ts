import type { App } from "@slack/bolt";
import type { AppDeps } from "../src/slack/deps.ts";
import { register as registerAlb } from "./alb/index.ts";
import { register as registerTriage } from "./triage-messages.ts";
import { register as registerFixActions } from "./fix-actions.ts";

/**
 * Every Slack surface registers its listeners here: each module exports `register(app, deps)`
 * with listeners a few lines long that ack, validate and hand off to a service.
 */
type Registrar = (app: App, deps: AppDeps) => void;

const registrars: Registrar[] = [
  registerAlb,
  registerTriage,
  registerFixActions,
  // surfaces add themselves here, one line each
];

export function registerAll(app: App, deps: AppDeps): void {
  for (const register of registrars) register(app, deps);
}

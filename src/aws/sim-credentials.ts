/** Credentials for the simulator: it accepts any. A module of its own: the `sim` banner prints them without
 * loading the SDK clients. */
import type { AwsCredentialIdentity } from "@smithy/types";

export const SIMULATOR_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: "AKIASIMULATOR0000000",
  secretAccessKey: "simulator-secret-not-a-real-key",
};

/** The error an SDK call against the simulator fails with, as the wire tests check it. */
export interface SdkErrorSeen {
  name: string;
  /** The query-era code the SDK restores (awsQueryCompatible services such as CloudWatch). */
  code?: string;
  message: string;
  status?: number;
}

/** Await the call and return its error; fails the test if the call succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<SdkErrorSeen> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, code: err.Code, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

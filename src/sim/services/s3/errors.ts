import { SimError } from "../../contract.ts";

/** An S3 error with the extra elements and headers S3 adds (Key, BucketName, x-amz-bucket-region...). */
export class S3Error extends SimError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Config } from '@app/config';

/**
 * The SDK client for a bucket's configuration. For servers other than AWS,
 * request checksums are computed only when an operation requires them: by
 * default the SDK streams an upload as `aws-chunked` with a trailing checksum,
 * which servers that do not speak that framing store verbatim (measured: a
 * 3,000,000-byte file kept as 3,000,449 bytes, the chunk headers included).
 */
export function createS3Client(config: S3Config, endpoint = config.endpoint): S3Client {
  const checksums = config.endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  const options: S3ClientConfig = {
    region: config.region,
    endpoint,
    forcePathStyle: config.forcePathStyle,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    // A store that does not answer the connection within 5 s is down, not slow;
    // streams of large objects may take long once connected.
    requestHandler: { connectionTimeout: 5_000 },
  };
  if (config.credentials) options.credentials = config.credentials;
  return new S3Client(options);
}

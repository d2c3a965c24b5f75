import { S3Client } from '@aws-sdk/client-s3';

/** How to reach S3 or an S3-compatible store (MinIO, s3rver, ...). */
export interface S3Config {
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** A custom endpoint (`http://127.0.0.1:4568`); path-style addressing is used when set. */
  endpoint?: string;
}

/**
 * Reads the standard AWS variables; explicit options win over the environment. Without keys the SDK's
 * default credential chain (profiles, instance roles) applies.
 */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<S3Config> = {}): S3Config {
  const config: S3Config = {
    region: overrides.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    accessKeyId: overrides.accessKeyId ?? env.AWS_ACCESS_KEY_ID,
    secretAccessKey: overrides.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY,
    sessionToken: overrides.sessionToken ?? env.AWS_SESSION_TOKEN,
    endpoint: overrides.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
  };
  if ((config.accessKeyId === undefined) !== (config.secretAccessKey === undefined)) {
    throw new Error('S3 credentials need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or both options)');
  }
  return config;
}

const clients = new Map<string, S3Client>();

/** One client per distinct configuration, so connections are pooled across calls. */
export function s3Client(config: S3Config = s3ConfigFromEnv()): S3Client {
  const key = JSON.stringify(config);
  let client = clients.get(key);
  if (!client) {
    client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.endpoint !== undefined,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, sessionToken: config.sessionToken }
          : undefined,
    });
    clients.set(key, client);
  }
  return client;
}

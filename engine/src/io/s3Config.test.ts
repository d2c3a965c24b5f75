import { describe, expect, it } from 'vitest';
import { s3ConfigFromEnv } from './s3Config.js';
import { parseS3Url } from './s3Url.js';

describe('s3ConfigFromEnv', () => {
  it('reads the standard AWS variables, preferring the S3-specific endpoint', () => {
    const config = s3ConfigFromEnv({
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-3',
      AWS_ENDPOINT_URL: 'http://generic',
      AWS_ENDPOINT_URL_S3: 'http://s3-only',
    });
    expect(config).toEqual({ region: 'eu-west-3', accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: undefined, endpoint: 'http://s3-only' });
    expect(s3ConfigFromEnv({ AWS_ENDPOINT_URL: 'http://generic' }).endpoint).toBe('http://generic');
  });

  it('lets explicit options win and rejects half a credential pair', () => {
    expect(s3ConfigFromEnv({ AWS_REGION: 'eu-west-3' }, { region: 'us-west-2' }).region).toBe('us-west-2');
    expect(() => s3ConfigFromEnv({ AWS_ACCESS_KEY_ID: 'id' })).toThrow('need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  });
});

describe('parseS3Url', () => {
  it('splits bucket and key and rejects other URLs', () => {
    expect(parseS3Url('s3://b/k/x.parquet')).toEqual({ bucket: 'b', key: 'k/x.parquet' });
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', key: '' });
    expect(() => parseS3Url('/local/path')).toThrow('not an s3:// URL');
  });
});

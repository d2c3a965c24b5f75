export interface S3Location {
  bucket: string;
  /** The object key or key prefix, without a leading slash; '' for the whole bucket. */
  key: string;
}

export function isS3Url(path: string): boolean {
  return path.startsWith('s3://') || path.startsWith('s3a://');
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match || match[1] === '') throw new Error(`not an s3:// URL with a bucket: ${url}`);
  return { bucket: match[1], key: match[2] };
}

export function s3Url(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** `s3://BUCKET/PREFIX` locations and the keys under them. */

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slashes; may be empty. */
  prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!match) throw new Error(`not an S3 location: '${url}' (expected s3://BUCKET/PREFIX)`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export function formatS3Url(location: S3Location): string {
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
}

export function keyUnder(location: S3Location, ...parts: string[]): string {
  return [location.prefix, ...parts].filter((part) => part !== '').join('/');
}

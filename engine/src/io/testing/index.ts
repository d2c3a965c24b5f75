/** Test support shared by every package's tests: `@quire/engine/testing`. */
export { startS3rver, type S3Fixture } from './s3rverFixture.js';
export { openTestDuckDB, type DuckDBFixture } from './duckdbFixture.js';

/**
 * The UI's Content-Security-Policy. Its one definition lives here, in the server, because every way the UI
 * is loaded goes through `quire serve`: browser mode, and Electron, whose window loads the UI from the
 * `quire serve` it starts. The dependency arrow points app → kernel, so the kernel cannot read the app's
 * copy; the app's two consumers that cannot import this module are held equal to it by
 * app/test/shell/csp-source.test.ts: the Electron main process (app/src/main/csp.ts, which runs from
 * app.asar where the kernel's sources are not reachable) and the `<meta>` tag of app/src/renderer/index.html
 * (static HTML).
 *
 * Why each source is there:
 * - script-src 'wasm-unsafe-eval': duckdb-wasm compiles its .wasm; no 'unsafe-eval' (Vega runs through
 *   vega-interpreter, never `new Function`).
 * - worker-src blob:: monaco and duckdb-wasm may wrap their worker scripts in blob: URLs.
 * - style-src 'unsafe-inline': monaco sets inline styles on the elements it lays out.
 * - img-src/font-src data:: Vega exports charts as data: URLs; monaco's codicon font may be inlined.
 * - connect-src loopback: the notebook server's REST API and kernel WebSockets (also a UI pointed at
 *   another loopback server with `?server=` during development).
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self' blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self' http://127.0.0.1:* ws://127.0.0.1:* http://localhost:* ws://localhost:*"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** The policy as a `<meta http-equiv>` tag can state it (a meta tag cannot carry frame-ancestors). */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) => `${name} ${sources}`).join('; ');

/** The policy as the `Content-Security-Policy` response header: the meta policy plus frame-ancestors. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

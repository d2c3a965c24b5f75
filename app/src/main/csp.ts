/**
 * The UI's Content-Security-Policy, one definition for every way the UI is loaded: Electron sends it as a
 * response header (csp.ts is imported by the main process), and app/src/renderer/index.html carries the
 * same text in a <meta> tag so browser mode (`quire serve` serving app/dist) is held to it too.
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

/** The policy as the renderer's <meta> tag states it (meta tags cannot carry frame-ancestors). */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) => `${name} ${sources}`).join('; ');

/**
 * The policy as a response header: the meta policy plus frame-ancestors, which only a header can set.
 * This is the value a server should send as `Content-Security-Policy` on the UI's responses.
 */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Response headers with the policy set, replacing any Content-Security-Policy the server sent (header
 * names are matched case-insensitively, as HTTP defines them).
 */
export function withContentSecurityPolicy(
  headers: Record<string, string[] | string> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY_HEADER];
  return result;
}

/**
 * The UI's Content-Security-Policy for the Electron main process, which sends it as a response header on
 * everything the window loads. The policy is defined in kernel/src/server/content-security-policy.ts (with
 * why each source is there): `quire serve` sends it on the UI's HTML in browser mode and to this window.
 * This is a copy because the main process runs from app.asar, where the kernel's sources cannot be imported;
 * app/test/shell/csp-source.test.ts fails when the two differ, and main-pure.test.ts when the <meta> tag of
 * renderer/index.html does.
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

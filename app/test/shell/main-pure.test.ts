import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER, withContentSecurityPolicy } from '../../src/main/csp.js';
import { decideNavigation, serverOriginOf } from '../../src/main/navigation-guard.js';
import { mainWindowOptions } from '../../src/main/window-options.js';
import {
  expectArgumentCount, validateNotebookPath, validateSenderOrigin, validateSuggestedName,
} from '../../src/main/ipc-validation.js';
import { toRootRelative, withNotebookExtension } from '../../src/main/root-paths.js';
import { parseServerUrl } from '../../src/main/server-process.js';

const ORIGIN = 'http://127.0.0.1:41234';

describe('Content-Security-Policy', () => {
  it('is the policy the renderer page states in its meta tag', async () => {
    const html = await readFile(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('allows what the UI needs and nothing that runs strings as code', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY_HEADER.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]));
    expect(directives.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY_HEADER).not.toContain("'unsafe-eval'");
    expect(directives.get('worker-src')).toBe("'self' blob:");
    expect(directives.get('connect-src')).toContain('ws://127.0.0.1:*');
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
  });

  it('replaces a policy the server sent, whatever the header name case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] });
  });
});

describe('window options', () => {
  it('isolate and sandbox the renderer with the given preload', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({ preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });
});

describe('navigation guard', () => {
  it('keeps the server origin in the window', () => {
    expect(decideNavigation(`${ORIGIN}/notebooks/a.ipynb?token=t`, ORIGIN)).toEqual({ action: 'allow' });
  });
  it('sends other web addresses to the system browser', () => {
    expect(decideNavigation('https://duckdb.org/docs', ORIGIN)).toEqual({ action: 'open-externally', url: 'https://duckdb.org/docs' });
    expect(decideNavigation('http://127.0.0.1:9999/', ORIGIN).action).toBe('open-externally');
  });
  it('refuses other schemes, credentials and garbage', () => {
    expect(decideNavigation('file:///etc/passwd', ORIGIN).action).toBe('deny');
    expect(decideNavigation('javascript:alert(1)', ORIGIN).action).toBe('deny');
    expect(decideNavigation('https://bank.example@evil.example/', ORIGIN).action).toBe('deny');
    expect(decideNavigation('not a url', ORIGIN)).toMatchObject({ action: 'deny', reason: expect.stringContaining('not a URL') });
  });
  it('accepts only a loopback http server', () => {
    expect(serverOriginOf('http://127.0.0.1:5000/?token=x')).toBe('http://127.0.0.1:5000');
    expect(() => serverOriginOf('http://example.com:5000/')).toThrow(/127\.0\.0\.1/);
  });
});

describe('IPC arguments', () => {
  it('checks the argument count', () => {
    expect(() => expectArgumentCount('quire:recent', [1], 0)).toThrow('quire:recent: expected 0 argument(s), got 1');
  });
  it('takes a plain suggested file name', () => {
    expect(validateSuggestedName('c', 'Untitled.ipynb')).toBe('Untitled.ipynb');
    for (const bad of ['', '../x.ipynb', 'a/b', 'a\\b', '..', 42, 'x'.repeat(256)]) expect(() => validateSuggestedName('c', bad)).toThrow(/^c: /);
  });
  it('takes a notebook path relative to the root', () => {
    expect(validateNotebookPath('c', 'work/q1.ipynb')).toBe('work/q1.ipynb');
    for (const bad of ['/etc/a.ipynb', '../a.ipynb', 'a//b.ipynb', 'a/./b.ipynb', 'a.txt', 'a\\b.ipynb', '', null]) {
      expect(() => validateNotebookPath('c', bad)).toThrow(/^c: /);
    }
  });
  it('answers only the server origin', () => {
    expect(() => validateSenderOrigin('c', `${ORIGIN}/`, ORIGIN)).not.toThrow();
    expect(() => validateSenderOrigin('c', 'https://evil.example/', ORIGIN)).toThrow('c: refused a call from https://evil.example/');
    expect(() => validateSenderOrigin('c', undefined, ORIGIN)).toThrow(/unknown frame/);
  });
});

describe('root paths', () => {
  it('names a chosen file relative to the root, and refuses one outside it', () => {
    expect(toRootRelative('/home/u/Quire', '/home/u/Quire/a/b.ipynb')).toBe('a/b.ipynb');
    expect(() => toRootRelative('/home/u/Quire', '/home/u/other.ipynb')).toThrow(/outside the notebook folder/);
    expect(() => toRootRelative('/home/u/Quire', '/home/u/Quire')).toThrow(/outside/);
    expect(withNotebookExtension('/r/x')).toBe('/r/x.ipynb');
    expect(withNotebookExtension('/r/x.IPYNB')).toBe('/r/x.IPYNB');
  });
});

describe('server URL line', () => {
  it('is found among the lines quire serve prints', () => {
    expect(parseServerUrl('  http://127.0.0.1:5123/?token=abc123')).toEqual({ url: 'http://127.0.0.1:5123/?token=abc123', origin: 'http://127.0.0.1:5123', token: 'abc123' });
    expect(parseServerUrl('  cluster http://127.0.0.1:5/?token=***')).toBeUndefined();
    expect(parseServerUrl('Quire is serving /x')).toBeUndefined();
  });
});

/** The Electron main process's copy of the UI's Content-Security-Policy is the one `quire serve` defines and sends. */
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '@quire/kernel';
import { describe, expect, it } from 'vitest';
import * as electronCopy from '../../src/main/csp.js';

describe('one Content-Security-Policy', () => {
  it('the main process sends exactly the policy defined in kernel/src/server/content-security-policy.ts', () => {
    expect(electronCopy.CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY);
    expect(electronCopy.CONTENT_SECURITY_POLICY_HEADER).toBe(CONTENT_SECURITY_POLICY_HEADER);
  });
});

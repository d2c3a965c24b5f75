/** kernel_info_reply content: who this kernel is and how its language is highlighted. */
import ts from 'typescript';
import { PROTOCOL_VERSION, type KernelInfoReply } from './messages.js';

export const KERNEL_VERSION = '0.1.0';

export function kernelInfo(): KernelInfoReply {
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'quire',
    implementation_version: KERNEL_VERSION,
    language_info: {
      name: 'typescript',
      version: ts.version,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      pygments_lexer: 'typescript',
      codemirror_mode: { name: 'javascript', typescript: true },
      nbconvert_exporter: 'script',
    },
    banner: `Quire ${KERNEL_VERSION}: TypeScript ${ts.version} on Node ${process.versions.node}, %%sql cells on the Quire engine`,
    help_links: [],
    debugger: false,
  };
}

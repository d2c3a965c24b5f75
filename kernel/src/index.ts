/** @quire/kernel's programmatic API: what the server and the app's tests use besides the `quire` command. */
export { Executor, type ExecutorOptions, type CellOutcome } from './execute/executor.js';
export type { CellOutput } from './execute/output.js';
export { kernelSpec, installKernelSpec, kernelsDirectory, KERNEL_NAME, type KernelSpec, type InstallTarget } from './protocol/kernelspec.js';
export { kernelInfo } from './protocol/kernel-info.js';
export type * as KernelMessages from './protocol/messages.js';
export { replayNotebook, type ReplayOptions, type ReplayResult } from './replay/replay.js';
export { readNotebook, validateNotebook, writeNotebookAtomically, NotebookFormatError, type Notebook } from './replay/notebook.js';
export { ARROW_MIME } from './display/dataframe.js';
export { VEGALITE_MIME } from './display/chart.js';
export { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './server/content-security-policy.js';

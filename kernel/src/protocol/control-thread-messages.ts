/** What the control thread and the main thread say to each other. */
import type { Header } from './messages.js';

export type ControlThreadEvent =
  | { kind: 'ready' }
  | { kind: 'log'; text: string }
  /** An interrupt_request arrived; SIGINT follows. */
  | { kind: 'interrupted'; header: Header }
  /** A control message for the main thread to handle (signature already checked). */
  | { kind: 'message'; frames: Uint8Array[] };

export type MainThreadCommand = { kind: 'send'; frames: Uint8Array[] } | { kind: 'close' };

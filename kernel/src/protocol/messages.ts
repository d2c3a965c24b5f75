/**
 * Jupyter messaging protocol 5.3 message shapes, typed per message type the way
 * @jupyterlab/services' KernelMessage does, so handlers cannot send a reply with the wrong content.
 */

export const PROTOCOL_VERSION = '5.3';

export type Channel = 'shell' | 'iopub' | 'stdin' | 'control';

export interface Header<T extends string = string> {
  msg_id: string;
  msg_type: T;
  session: string;
  username: string;
  date: string;
  version: string;
}

export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };
/** A MIME bundle: MIME type -> data (string, or JSON for JSON-based types). */
export type MimeBundle = Record<string, JSONValue>;

export interface Message<T extends string = string, C = unknown> {
  /** ZeroMQ routing identities that precede the delimiter; replies go back to the same ones. */
  identities: Buffer[];
  header: Header<T>;
  parent_header: Header | Record<string, never>;
  metadata: JSONObject;
  content: C;
  buffers: Buffer[];
}

// ---- shell requests and replies ----

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export type ReplyStatus<T> = ({ status: 'ok' } & T) | ({ status: 'error' } & ErrorContent) | { status: 'aborted' };

/** An aborted reply (a request queued behind a failed cell) carries no execution_count, as in ipykernel. */
export type ExecuteReply =
  | ({ status: 'ok'; execution_count: number; user_expressions: JSONObject; payload: JSONValue[] })
  | ({ status: 'error'; execution_count: number } & ErrorContent)
  | { status: 'aborted' };

export interface CompleteRequest {
  code: string;
  cursor_pos: number;
}
export interface CompleteReply {
  status: 'ok';
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: JSONObject;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level: 0 | 1;
}
export interface InspectReply {
  status: 'ok';
  found: boolean;
  data: MimeBundle;
  metadata: JSONObject;
}

export interface IsCompleteRequest {
  code: string;
}
export type IsCompleteReply =
  | { status: 'complete' }
  | { status: 'incomplete'; indent: string }
  | { status: 'invalid' }
  | { status: 'unknown' };

export interface HistoryRequest {
  output: boolean;
  raw: boolean;
  hist_access_type: 'range' | 'tail' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}
export interface HistoryReply {
  status: 'ok';
  /** [session, line number, input] triples (or [session, line, [input, output]] when output was asked). */
  history: [number, number, string | [string, string | null]][];
}

export interface CommInfoRequest {
  target_name?: string;
}
export interface CommInfoReply {
  status: 'ok';
  comms: Record<string, { target_name: string }>;
}

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer: string;
  codemirror_mode: string | JSONObject;
  nbconvert_exporter: string;
}
export interface KernelInfoReply {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
}

export interface ShutdownRequest {
  restart: boolean;
}
export interface ShutdownReply {
  status: 'ok';
  restart: boolean;
}
export type InterruptRequest = Record<string, never>;
export interface InterruptReply {
  status: 'ok';
}

// ---- iopub ----

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting';
}
export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}
export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}
export interface ExecuteResultContent {
  execution_count: number;
  data: MimeBundle;
  metadata: JSONObject;
}
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: JSONObject;
  transient: { display_id?: string };
}
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
export interface ClearOutputContent {
  wait: boolean;
}

/** Content type of every message type the kernel sends or receives. */
export interface MessageContents {
  execute_request: ExecuteRequest;
  execute_reply: ExecuteReply;
  complete_request: CompleteRequest;
  complete_reply: CompleteReply;
  inspect_request: InspectRequest;
  inspect_reply: InspectReply;
  is_complete_request: IsCompleteRequest;
  is_complete_reply: IsCompleteReply;
  history_request: HistoryRequest;
  history_reply: HistoryReply;
  comm_info_request: CommInfoRequest;
  comm_info_reply: CommInfoReply;
  kernel_info_request: Record<string, never>;
  kernel_info_reply: KernelInfoReply;
  shutdown_request: ShutdownRequest;
  shutdown_reply: ShutdownReply;
  interrupt_request: InterruptRequest;
  interrupt_reply: InterruptReply;
  status: StatusContent;
  stream: StreamContent;
  execute_input: ExecuteInputContent;
  execute_result: ExecuteResultContent;
  display_data: DisplayDataContent;
  update_display_data: DisplayDataContent;
  error: ErrorContent;
  clear_output: ClearOutputContent;
}

export type MessageType = keyof MessageContents;
export type TypedMessage<T extends MessageType> = Message<T, MessageContents[T]>;

/** The connection file a Jupyter client writes before launching a kernel. */
import { readFile } from 'node:fs/promises';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

const PORT_FIELDS = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read connection file ${path}: ${(error as Error).message}`);
  }
  return parseConnectionInfo(raw, path);
}

export function parseConnectionInfo(raw: unknown, source: string): ConnectionInfo {
  if (typeof raw !== 'object' || raw === null) throw new Error(`connection file ${source} is not a JSON object`);
  const info = raw as Record<string, unknown>;
  const transport = info.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') throw new Error(`connection file ${source}: unsupported transport '${String(transport)}'`);
  for (const field of PORT_FIELDS) {
    if (!Number.isInteger(info[field])) throw new Error(`connection file ${source}: '${field}' must be an integer port`);
  }
  const scheme = info.signature_scheme ?? 'hmac-sha256';
  if (scheme !== 'hmac-sha256') throw new Error(`connection file ${source}: unsupported signature_scheme '${String(scheme)}' (only hmac-sha256)`);
  if (typeof info.key !== 'string') throw new Error(`connection file ${source}: 'key' must be a string`);
  if (typeof info.ip !== 'string') throw new Error(`connection file ${source}: 'ip' must be a string`);
  return { ...(info as unknown as ConnectionInfo), transport, signature_scheme: scheme };
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

/** Binds a kernel socket, naming the channel and address when that fails (most often: a port in use). */
export async function bindChannel(socket: { bind(address: string): Promise<void> }, channel: string, address: string): Promise<void> {
  try {
    await socket.bind(address);
  } catch (error) {
    throw new Error(`cannot bind the ${channel} channel to ${address}: ${(error as Error).message}`, { cause: error });
  }
}

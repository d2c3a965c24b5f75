import type { Kernel } from '@jupyterlab/services';
import { monaco } from './monaco.js';
// The editor core (editor.api) registers no contributions: without these two, providers are consulted by
// nothing, so no suggestion list or hover ever appears.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/hover/register';

/**
 * Completions and hovers for cell editors, answered by the kernel (complete_request and
 * inspect_request), which knows the notebook's live variables and the DataFrame API.
 */
const kernels = new Map<string, () => Kernel.IKernelConnection | null>();
let registered = false;

/** Ties an editor model to the kernel of its notebook; returns the function that unties it. */
export function bindModelToKernel(model: monaco.editor.ITextModel, kernel: () => Kernel.IKernelConnection | null): () => void {
  ensureProviders();
  kernels.set(model.uri.toString(), kernel);
  return () => kernels.delete(model.uri.toString());
}

function ensureProviders(): void {
  if (registered) return;
  registered = true;
  for (const language of ['typescript', 'sql']) {
    monaco.languages.registerCompletionItemProvider(language, { triggerCharacters: ['.'], provideCompletionItems: complete });
    monaco.languages.registerHoverProvider(language, { provideHover: hover });
  }
}

async function complete(model: monaco.editor.ITextModel, position: monaco.Position): Promise<monaco.languages.CompletionList> {
  const kernel = kernels.get(model.uri.toString())?.();
  if (!kernel) return { suggestions: [] };
  const code = model.getValue();
  const reply = await unlessCanceled(kernel.requestComplete({ code, cursor_pos: model.getOffsetAt(position) }));
  if (!reply) return { suggestions: [] };
  const content = reply.content;
  // The cell may have gone while the kernel answered (its notebook closed, the cell deleted).
  if (content.status !== 'ok' || model.isDisposed()) return { suggestions: [] };
  const start = model.getPositionAt(content.cursor_start);
  const end = model.getPositionAt(content.cursor_end);
  const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
  const types = (content.metadata?._jupyter_types_experimental ?? []) as Array<{ text: string; type?: string }>;
  const typeOf = new Map(types.map((t) => [t.text, t.type]));
  return {
    suggestions: content.matches.map((match) => ({
      label: match,
      insertText: match,
      range,
      kind: completionKind(typeOf.get(match)),
      detail: typeOf.get(match),
    })),
  };
}

async function hover(model: monaco.editor.ITextModel, position: monaco.Position): Promise<monaco.languages.Hover | null> {
  const kernel = kernels.get(model.uri.toString())?.();
  const word = model.getWordAtPosition(position);
  if (!kernel || !word) return null;
  const reply = await unlessCanceled(kernel.requestInspect({ code: model.getValue(), cursor_pos: model.getOffsetAt(position), detail_level: 0 }));
  if (!reply) return null;
  const content = reply.content;
  if (content.status !== 'ok' || !content.found || model.isDisposed()) return null;
  const markdown = content.data['text/markdown'];
  const text = typeof markdown === 'string' ? markdown : '```\n' + String(content.data['text/plain'] ?? '') + '\n```';
  return {
    range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
    contents: [{ value: text }],
  };
}

/**
 * The reply, or undefined when the request was dropped unanswered: a restart, a shutdown or a closed
 * notebook cancels the kernel connection's pending requests, and a suggestion nobody waits for any
 * more is not an error.
 */
async function unlessCanceled<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Canceled future for ')) return undefined;
    throw error;
  }
}

function completionKind(type: string | undefined): monaco.languages.CompletionItemKind {
  const kinds = monaco.languages.CompletionItemKind;
  switch (type) {
    case 'function':
    case 'method':
      return kinds.Method;
    case 'class':
      return kinds.Class;
    case 'keyword':
      return kinds.Keyword;
    case 'module':
      return kinds.Module;
    case 'property':
    case 'column':
      return kinds.Field;
    default:
      return kinds.Variable;
  }
}

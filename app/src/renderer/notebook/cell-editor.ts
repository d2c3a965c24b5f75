import type { Kernel } from '@jupyterlab/services';
import { ensureMonacoTheme, monaco } from '../editor/monaco.js';
import { bindModelToKernel } from '../editor/kernel-language-features.js';

export interface CellEditorKeys {
  /** Shift+Enter, Ctrl+Enter, Alt+Enter. */
  run(mode: 'advance' | 'stay' | 'insert'): void;
  /** Escape: back to command mode. */
  escape(): void;
  /** Arrow up on the first line / down on the last line: move to the neighbouring cell. */
  leave(direction: -1 | 1): void;
  save(): void;
}

/** The language a cell's source is highlighted as: `%%sql` cells are SQL, code cells TypeScript. */
export function languageOf(source: string, cellType: string): string {
  if (cellType === 'markdown') return 'markdown';
  if (cellType === 'raw') return 'plaintext';
  return /^\s*%%sql\b/.test(source) ? 'sql' : 'typescript';
}

/** One monaco editor that grows with its content (cells never scroll inside themselves). */
export class CellEditor {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  private unbind: () => void;

  constructor(
    host: HTMLElement,
    source: string,
    language: string,
    kernel: () => Kernel.IKernelConnection | null,
    keys: CellEditorKeys,
    onChange: (source: string) => void,
    { readOnly = false }: { readOnly?: boolean } = {},
  ) {
    ensureMonacoTheme();
    const model = monaco.editor.createModel(source, language);
    this.unbind = bindModelToKernel(model, kernel);
    this.editor = monaco.editor.create(host, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbers: 'on',
      lineNumbersMinChars: 3,
      glyphMargin: false,
      folding: false,
      fontSize: 13,
      lineHeight: 20,
      fontFamily: 'var(--font-mono)',
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      wordWrap: 'on',
      padding: { top: 8, bottom: 8 },
      scrollbar: { vertical: 'hidden', horizontal: 'auto', alwaysConsumeMouseWheel: false, useShadows: false },
      fixedOverflowWidgets: true,
      tabSize: 2,
      // A read-only editor still selects and copies, and says why typing does nothing.
      readOnly,
      readOnlyMessage: { value: 'This shared notebook is read-only: Fork to edit makes a copy you can change.' },
    });
    const fit = () => {
      host.style.height = `${Math.max(this.editor.getContentHeight(), 36)}px`;
    };
    this.editor.onDidContentSizeChange(fit);
    fit();
    model.onDidChangeContent(() => {
      const value = model.getValue();
      onChange(value);
      const wanted = language === 'markdown' ? 'markdown' : languageOf(value, 'code');
      if (model.getLanguageId() !== wanted) monaco.editor.setModelLanguage(model, wanted);
    });
    const quiet = 'editorTextFocus && !suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible';
    const KM = monaco.KeyMod;
    const KC = monaco.KeyCode;
    this.action('run-advance', [KM.Shift | KC.Enter], quiet, () => keys.run('advance'));
    this.action('run-stay', [KM.CtrlCmd | KC.Enter], quiet, () => keys.run('stay'));
    this.action('run-insert', [KM.Alt | KC.Enter], quiet, () => keys.run('insert'));
    this.action('escape', [KC.Escape], quiet, () => keys.escape());
    this.action('save', [KM.CtrlCmd | KC.KeyS], 'editorTextFocus', () => keys.save());
    this.editor.onKeyDown((event) => {
      const position = this.editor.getPosition();
      if (!position || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.keyCode === KC.UpArrow && position.lineNumber === 1) {
        event.preventDefault();
        keys.leave(-1);
      } else if (event.keyCode === KC.DownArrow && position.lineNumber === model.getLineCount()) {
        event.preventDefault();
        keys.leave(1);
      }
    });
  }

  focus(): void {
    this.editor.focus();
  }

  hasFocus(): boolean {
    return this.editor.hasTextFocus();
  }

  setValue(source: string): void {
    if (this.editor.getValue() !== source) this.editor.setValue(source);
  }

  dispose(): void {
    this.unbind();
    const model = this.editor.getModel();
    this.editor.dispose();
    model?.dispose();
  }

  private action(id: string, keybindings: number[], precondition: string, run: () => void): void {
    this.editor.addAction({ id: `quire.${id}`, label: id, keybindings, precondition, run });
  }
}

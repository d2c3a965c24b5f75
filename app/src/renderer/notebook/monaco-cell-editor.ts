import type { Kernel } from '@jupyterlab/services';
import { ensureMonacoTheme, monaco } from '../editor/monaco.js';
import { bindModelToKernel } from '../editor/kernel-language-features.js';
import { type CellEditorKeys, type CellInput, type SourceSelection, languageOf } from './cell-input.js';

/**
 * One monaco editor that grows with its content (cells never scroll inside themselves). This module is the
 * entry of the Monaco chunk: only `monaco-cell-editor-loader.ts` imports it, dynamically, so the app paints
 * its notebook before Monaco's 3 MB are parsed.
 */
export class MonacoCellEditor implements CellInput {
  readonly kind = 'monaco';
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  private unbind: () => void;

  constructor(
    host: HTMLElement,
    source: string,
    language: string,
    kernel: () => Kernel.IKernelConnection | null,
    keys: CellEditorKeys,
    onChange: (source: string) => void,
    /** Where the caret was in the plain editor this one replaces. */
    selection?: SourceSelection,
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
    });
    const fit = () => {
      host.style.height = `${Math.max(this.editor.getContentHeight(), 36)}px`;
    };
    this.editor.onDidContentSizeChange(fit);
    fit();
    if (selection) this.select(selection);
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

  private select({ start, end, backward }: SourceSelection): void {
    const model = this.editor.getModel()!;
    const from = model.getPositionAt(start);
    const to = model.getPositionAt(end);
    const [anchor, caret] = backward ? [to, from] : [from, to];
    this.editor.setSelection(new monaco.Selection(anchor.lineNumber, anchor.column, caret.lineNumber, caret.column));
  }

  private action(id: string, keybindings: number[], precondition: string, run: () => void): void {
    this.editor.addAction({ id: `quire.${id}`, label: id, keybindings, precondition, run });
  }
}

/**
 * Runs cells in one persistent global scope, as Node's REPL does: TypeScript cells are transformed
 * (cell-transform.ts) and run with `breakOnSigint`, so an interrupt (SIGINT, which the control thread raises)
 * breaks even a synchronous infinite loop; `%%sql` cells go to `spark.sql`. Output goes to whichever
 * CellOutput the current cell was given.
 */
import { SourceMap } from 'node:module';
import vm from 'node:vm';
import { renderValue, type DisplayBundle } from '../display/bundle.js';
import { DEFAULT_DATAFRAME_DISPLAY, type DataFrameDisplayOptions } from '../display/dataframe.js';
import { DisplayHandle, createClearOutput, createDisplay } from '../display/display-api.js';
import { afterPoll } from '../protocol/after-poll.js';
import type { ErrorContent } from '../protocol/messages.js';
import { CellRegistry, InterruptedError, toErrorContent, type CompiledCell } from './cell-error.js';
import { IMPORT_FUNCTION, INTERRUPT_CHECK, transformCell } from './cell-transform.js';
import { createCapturingConsole } from './console-capture.js';
import { EngineBinding, type EngineOptions } from './engine-binding.js';
import { createModuleImporter } from './module-import.js';
import type { CellOutput } from './output.js';
import { NotebookLanguageService } from './language-service.js';
import { CellJobProgress } from './job-progress.js';
import { RecordedOutput } from './recorded-output.js';
import { parseCellMagic, type SqlCell } from './sql-magic.js';
import { CellTypeError } from './type-errors.js';

export interface ExecutorOptions {
  /** Folder the notebook lives in: imports resolve from here. */
  notebookDir: string;
  engine: EngineOptions;
  dataFrameDisplay?: Partial<DataFrameDisplayOptions>;
  /** Check each TypeScript cell's types before running it (type errors stop the cell). Default true. */
  typeCheck?: boolean;
  /** Takes an interrupt asked for and not yet taken (protocol/interrupt-requests.ts); none when absent. */
  takeInterruptRequest?: () => boolean;
}

export type CellOutcome = { status: 'ok'; result?: DisplayBundle } | { status: 'error'; error: ErrorContent };

interface CellValue {
  hasValue: boolean;
  value?: unknown;
}

/** Output that arrives when no cell is running (a timer firing later) goes to the kernel's own stderr. */
const NO_CELL: CellOutput = {
  stream: (name, text) => process.stderr.write(`[${name} outside a cell] ${text}`),
  display: () => process.stderr.write('[display outside a cell dropped]\n'),
  clearOutput: () => undefined,
};

const SPARK_REFERENCE = /\bspark\b/;
/** A cell's start took an interrupt whose signal has not come yet; a SIGINT this soon after is that signal. */
const LATE_SIGNAL_MS = 5_000;

export class Executor {
  readonly engine: EngineBinding;
  private output: CellOutput = NO_CELL;
  private readonly registry = new CellRegistry();
  private readonly dataFrameDisplay: DataFrameDisplayOptions;
  private cellSequence = 0;
  private globalsReady: Promise<void> | undefined;
  private interruptRunning: (() => void) | undefined;
  /** Set by an interrupt of the running cell, so code it has not started yet is not started. */
  private interruptRequested = false;
  /** An interrupt that came while a cell waited behind other requests: that cell stops before it starts. */
  private interruptQueued = false;
  /** When a cell last took an interrupt as it started (0: not since the late signal was seen). */
  private tookInterruptAt = 0;
  private service: NotebookLanguageService | undefined;
  private engineNames: string[] = [];
  private warming: Promise<void> | undefined;
  private engineWarning: string | undefined;

  constructor(private readonly options: ExecutorOptions) {
    this.engine = new EngineBinding(options.engine);
    this.dataFrameDisplay = { ...DEFAULT_DATAFRAME_DISPLAY, ...options.dataFrameDisplay };
  }

  /**
   * Whether a SIGINT arriving now is the late signal of an interrupt a cell already took as it started
   * (INTERRUPT_CHECK); it must not stop the next cell. Answers once per interrupt taken.
   */
  isLateSignal(): boolean {
    const late = this.tookInterruptAt > 0 && Date.now() - this.tookInterruptAt < LATE_SIGNAL_MS;
    this.tookInterruptAt = 0;
    return late;
  }

  async execute(source: string, executionCount: number, cellOutput: CellOutput): Promise<CellOutcome> {
    const output = new RecordedOutput(cellOutput);
    this.output = output;
    let current: CompiledCell | undefined;
    const interrupted = new Promise<never>((_resolve, reject) => {
      this.interruptRunning = () => reject(new InterruptedError());
      this.interruptRequested = false;
    });
    try {
      if (this.interruptQueued) {
        this.interruptQueued = false;
        throw new InterruptedError();
      }
      await this.installGlobals();
      if (this.engineWarning) output.stream('stderr', this.engineWarning);
      this.engineWarning = undefined;
      const run = async (): Promise<CellOutcome> => {
        const sql = parseCellMagic(source);
        if (sql || SPARK_REFERENCE.test(source)) await this.bindSpark();
        current = { label: `cell ${executionCount}`, source, sourceMap: undefined };
        const session = await this.engine.startedSession();
        // The cluster's job list names the cell: "[3] flights.groupBy('origin')".
        session?.setJobDescription(`[${executionCount}] ${firstCodeLine(source)}`);
        const progress = session ? new CellJobProgress(session, output) : undefined;
        try {
          const cell = sql ? await this.runSql(sql) : await this.runTypeScript(current);
          if (!cell.hasValue || !isRenderable(cell.value)) return { status: 'ok' };
          // Rendering a DataFrame runs jobs too; their progress shows until the table replaces it.
          return { status: 'ok', result: await renderValue(cell.value, this.dataFrameDisplay) };
        } finally {
          progress?.finish();
          session?.setJobDescription(undefined);
        }
      };
      const outcome = await Promise.race([run(), interrupted]);
      // Let Node report promises the cell rejected without handling, so they show under this cell.
      await new Promise((resolve) => setImmediate(resolve));
      return outcome;
    } catch (error) {
      // vm's watchdog takes the SIGINT it breaks a script with; the request behind it is taken here, or the
      // next cell's INTERRUPT_CHECK would stop that cell too.
      if (brokenBySigint(error)) this.options.takeInterruptRequest?.();
      return { status: 'error', error: toErrorContent(normalizeInterrupt(error), this.registry, current) };
    } finally {
      this.interruptRunning = undefined;
    }
  }

  /**
   * Loads what the first cell would otherwise wait for: the engine (bound as globals) and the type checker with
   * the lib and engine declarations. Without it the first cell pays for both (2 s idle, 5-12 s on a busy
   * machine); run while the user is still typing, it leaves that cell only its own work. A cell that starts
   * meanwhile shares the same loading instead of repeating it.
   */
  warmUp(): Promise<void> {
    this.warming ??= (async () => {
      await this.installGlobals();
      // Let requests that arrived meanwhile in before the checker's synchronous first pass.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.options.typeCheck !== false) this.languageService.typeErrors('');
    })();
    return this.warming;
  }

  /** Completion and inspection see the same cells the type checker does. */
  get languageService(): NotebookLanguageService {
    this.service ??= new NotebookLanguageService(this.options.notebookDir, this.engineNames);
    return this.service;
  }

  /** Breaks the running cell, if any; returns whether one was running. */
  /**
   * Interrupts the running cell. With none running, `cellQueued` says an execute request may be waiting
   * behind another request (a completion the front end asked for while the user typed): the interrupt is
   * then kept for the next cell, which would otherwise start after it and run on. Returns whether it was
   * taken.
   */
  interrupt(cellQueued = false): boolean {
    const interrupt = this.interruptRunning;
    if (!interrupt) {
      if (cellQueued) this.interruptQueued = true;
      return cellQueued;
    }
    this.interruptRequested = true;
    interrupt();
    this.engine.cancelJobs().catch((error: unknown) => this.output.stream('stderr', `cancelling cluster jobs failed: ${(error as Error).message}\n`));
    return true;
  }

  /** The requests that were queued when an interrupt came are all handled, and none was a cell. */
  forgetQueuedInterrupt(): void {
    this.interruptQueued = false;
  }

  /** Reports a promise rejected with nobody listening, on the output of the cell running (or last run). */
  reportUnhandledRejection(reason: unknown): void {
    const error = toErrorContent(reason, this.registry);
    this.output.stream('stderr', `Unhandled promise rejection: ${error.traceback.join('\n')}\n`);
  }

  async shutdown(): Promise<void> {
    await this.engine.stop();
  }

  private async runTypeScript(cell: CompiledCell): Promise<CellValue> {
    const fileName = `quire-cell-${++this.cellSequence}.js`;
    const transformed = transformCell(cell.source, fileName.replace(/\.js$/, '.ts'));
    cell.sourceMap = transformed.sourceMap ? new SourceMap(JSON.parse(transformed.sourceMap)) : undefined;
    cell.toTranspiled = transformed.toTranspiled;
    cell.wrapperLine = transformed.code.split('\n').length;
    this.registry.add(fileName, cell);
    if (this.options.typeCheck !== false) {
      const errors = this.languageService.typeErrors(cell.source);
      if (errors.length > 0) throw new CellTypeError(errors);
    }
    const script = new vm.Script(transformed.code, { filename: fileName });
    // breakOnSigint only hears a SIGINT raised while the script runs. One that came during the synchronous
    // type check above is still queued for the SIGINT listener: let it run, and start nothing if it did.
    await afterPoll();
    if (this.interruptRequested) throw new InterruptedError();
    const completion = script.runInThisContext({ breakOnSigint: true, displayErrors: false }) as Promise<{ value: unknown } | undefined>;
    const result = await completion;
    this.languageService.addExecutedCell(cell.source);
    return result ? { hasValue: true, value: result.value } : { hasValue: false };
  }

  private async runSql(sql: SqlCell): Promise<CellValue> {
    const spark = await this.engine.spark();
    const df = await spark.sql(sql.query);
    if (sql.outputName) (globalThis as Record<string, unknown>)[sql.outputName] = df;
    return { hasValue: true, value: df };
  }

  private async bindSpark(): Promise<void> {
    (globalThis as Record<string, unknown>).spark = await this.engine.spark();
  }

  private installGlobals(): Promise<void> {
    this.globalsReady ??= (async () => {
      const scope = globalThis as Record<string, unknown>;
      const sink = (): CellOutput => this.output;
      scope.console = createCapturingConsole(sink);
      scope.display = createDisplay(sink, () => this.dataFrameDisplay);
      scope.clearOutput = createClearOutput(sink);
      scope[IMPORT_FUNCTION] = createModuleImporter(this.options.notebookDir);
      scope[INTERRUPT_CHECK] = () => {
        if (!this.options.takeInterruptRequest?.()) return;
        this.tookInterruptAt = Date.now();
        throw new InterruptedError();
      };
      try {
        this.engineNames = await this.engine.bindFunctions(scope);
        this.service?.setEngineNames(this.engineNames);
      } catch (error) {
        // Shown on the cell that waited for this, which may start after a warm-up ran it.
        this.engineWarning = `warning: ${(error as Error).message}; engine functions (col, sum, ...) are not defined\n`;
      }
    })();
    return this.globalsReady;
  }
}

/** The first line of a cell that is not blank, a comment or a cell magic, cut to a list-friendly length. */
function firstCodeLine(source: string): string {
  const line = source.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('//') && !l.startsWith('%%')) ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** A cell ending in `await display(...)` has already shown its output; its handle is not a result. */
function isRenderable(value: unknown): boolean {
  return value !== undefined && !(value instanceof DisplayHandle);
}

function brokenBySigint(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
}

function normalizeInterrupt(error: unknown): unknown {
  return brokenBySigint(error) ? new InterruptedError() : error;
}

import type { StreamOutput } from '../model/ipynb.js';
import { stripAnsi } from './ansi.js';
import { TruncatedText } from './truncated-text.js';

/** stdout/stderr text; the same view is reused while the stream grows. */
export class StreamOutputView {
  readonly element: HTMLElement;
  private text: TruncatedText;

  constructor(name: StreamOutput['name']) {
    this.text = new TruncatedText(`stream-text ${name}`);
    this.element = this.text.element;
  }

  update(output: StreamOutput): void {
    this.text.setText(stripAnsi(output.text));
  }
}

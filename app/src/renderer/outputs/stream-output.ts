import type { StreamOutput } from '../model/ipynb.js';
import { GrowingAnsiStripper } from './ansi.js';
import { TruncatedText } from './truncated-text.js';

/** stdout/stderr text; the same view is reused while the stream grows, and only the new text is processed. */
export class StreamOutputView {
  readonly element: HTMLElement;
  private text: TruncatedText;
  private stripper = new GrowingAnsiStripper();

  constructor(name: StreamOutput['name']) {
    this.text = new TruncatedText(`stream-text ${name}`);
    this.element = this.text.element;
  }

  update(output: StreamOutput): void {
    this.text.setText(this.stripper.strip(output.text));
  }
}

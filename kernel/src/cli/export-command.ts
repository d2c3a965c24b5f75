/** `quire export PATH --html [--out FILE]`: a standalone, sanitized HTML rendering of a notebook. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { notebookToHtml } from '../export/notebook-html.js';
import { writeFileAtomic } from '../storage/atomic-write.js';
import { readNotebookText } from '../storage/notebook-format.js';
import { parseArgs, stringOption } from './cli-args.js';
import { reportErrors } from './backup-cli.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire export PATH.ipynb --html [--out FILE.html]   (default: PATH.html beside the notebook)';

async function run(argv: string[]): Promise<number> {
  return reportErrors('export', USAGE, async () => {
    const { options, positional } = parseArgs(argv, { values: ['out'], flags: ['html'] });
    if (positional.length !== 1) throw new Error('needs exactly one notebook PATH argument');
    if (!options.html) throw new Error('needs a format option: --html is the one supported');
    const source = path.resolve(positional[0]);
    const notebook = readNotebookText(await readFile(source, 'utf8'), positional[0]);
    const out = path.resolve(stringOption(options, 'out') ?? source.replace(/\.ipynb$/, '') + '.html');
    await writeFileAtomic(out, notebookToHtml(notebook, path.basename(source, '.ipynb')));
    process.stdout.write(`wrote ${out}\n`);
    return 0;
  });
}

export const command: Command = { summary: 'export a notebook as a standalone HTML file', run };

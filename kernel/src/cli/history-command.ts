/** `quire history PATH`: list a notebook's backed-up versions, show one, or diff two cell by cell. */
import { formatDiff } from '../storage/notebook-diff.js';
import { parseArgs, stringOption } from './cli-args.js';
import { BACKUP_OPTIONS, openBackup, reportErrors } from './backup-cli.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire history PATH [--show VERSION] [--diff FROM [--to TO]] [--json] [--root DIR] [--backup s3://BUCKET/PREFIX]';

async function run(argv: string[]): Promise<number> {
  return reportErrors('history', USAGE, async () => {
    const { options, positional } = parseArgs(argv, { values: [...BACKUP_OPTIONS, 'show', 'diff', 'to'], flags: ['json'] });
    if (positional.length !== 1) throw new Error(`needs exactly one notebook PATH argument`);
    const [notebookPath] = positional;
    const { services } = await openBackup(options);
    try {
      const show = stringOption(options, 'show');
      const from = stringOption(options, 'diff');
      if (show) {
        process.stdout.write(await services.history.read(notebookPath, show));
      } else if (from) {
        const changes = await services.history.diff(notebookPath, from, stringOption(options, 'to') ?? 'current');
        process.stdout.write((options.json ? JSON.stringify(changes, null, 1) : formatDiff(changes)) + '\n');
      } else {
        const versions = await services.history.list(notebookPath);
        if (options.json) process.stdout.write(JSON.stringify(versions, null, 1) + '\n');
        else if (versions.length === 0) process.stdout.write(`no backed-up versions of ${notebookPath}\n`);
        else for (const v of versions) process.stdout.write(`${v.id}  ${v.savedAt}  ${v.size} bytes\n`);
      }
      return 0;
    } finally {
      await services.close();
    }
  });
}

export const command: Command = { summary: "list, show or diff a notebook's backed-up versions", run };

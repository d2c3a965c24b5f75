/** `quire restore PATH --version V`: put a backed-up version back (the current content becomes a version first). */
import { parseArgs, stringOption } from './cli-args.js';
import { BACKUP_OPTIONS, openBackup, reportErrors } from './backup-cli.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire restore PATH --version VERSION [--root DIR] [--backup s3://BUCKET/PREFIX]';

async function run(argv: string[]): Promise<number> {
  return reportErrors('restore', USAGE, async () => {
    const { options, positional } = parseArgs(argv, { values: [...BACKUP_OPTIONS, 'version'], flags: [] });
    const version = stringOption(options, 'version');
    if (positional.length !== 1 || !version) throw new Error('needs a notebook PATH argument and --version VERSION');
    const { services } = await openBackup(options);
    try {
      const result = await services.history.restore(positional[0], version);
      // The restored content is itself a save: upload it before exiting (it stays queued if S3 fails).
      await services.backup.drain({ force: true });
      process.stdout.write(`restored ${positional[0]} to ${result.restored}${result.previous ? `; the replaced content is version ${result.previous}` : ''}\n`);
      return 0;
    } finally {
      await services.close();
    }
  });
}

export const command: Command = { summary: 'restore a notebook to a backed-up version', run };

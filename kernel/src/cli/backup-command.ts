/** `quire backup [PATH...] [--all]`: back notebooks up now and report each one's state. */
import { backupAll, backupFile } from '../server/quire-services.js';
import { parseArgs } from './cli-args.js';
import { BACKUP_OPTIONS, openBackup, reportErrors } from './backup-cli.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire backup [PATH...] [--all] [--root DIR] [--backup s3://BUCKET/PREFIX]   (no paths: upload what is queued and report)';

async function run(argv: string[]): Promise<number> {
  return reportErrors('backup', USAGE, async () => {
    const { options, positional } = parseArgs(argv, { values: BACKUP_OPTIONS, flags: ['all'] });
    const { store, services } = await openBackup(options);
    try {
      if (options.all) await backupAll(store, services.backup);
      for (const notebookPath of positional) await backupFile(store, services.backup, notebookPath);
      await services.backup.drain({ force: true });
      const status = await services.backup.status();
      let problems = 0;
      for (const [notebookPath, state] of Object.entries(status).sort(([a], [b]) => a.localeCompare(b))) {
        if (state.status === 'failing' || state.status === 'conflict') problems++;
        const detail = state.status === 'synced' ? '' : `${state.queued ? `, ${state.queued} queued` : ''}${state.error ? `: ${state.error}` : ''}`;
        process.stdout.write(`${state.status.padEnd(8)} ${notebookPath}${detail}\n`);
      }
      return problems > 0 ? 1 : 0;
    } finally {
      await services.close();
    }
  });
}

export const command: Command = { summary: 'back notebooks up to S3 now and report their backup state', run };

/** `quire <command> ...`: each command lives in its own module, loaded only when used. */

export interface Command {
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<{ command: Command }>> = {
  kernel: () => import('./kernel-command.js'),
  run: () => import('./run-command.js'),
  serve: () => import('./serve-command.js'),
  history: () => import('./history-command.js'),
  restore: () => import('./restore-command.js'),
  backup: () => import('./backup-command.js'),
  export: () => import('./export-command.js'),
  cluster: () => import('./cluster-command.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printUsage();
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`quire: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  const { command } = await load();
  return command.run(rest);
}

async function printUsage(): Promise<void> {
  const lines = ['usage: quire <command> [options]', ''];
  for (const [name, load] of Object.entries(commands)) {
    try {
      lines.push(`  ${name.padEnd(10)} ${(await load()).command.summary}`);
    } catch {
      // A command whose module is missing is simply not listed.
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

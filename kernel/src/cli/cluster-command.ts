/**
 * `quire cluster start|status|resize|stop`: a long-running local cluster that notebooks, `quire run`
 * and `%%sql` reach with `--cluster URL`. The running cluster is recorded in a state file so the
 * other subcommands find it without a URL.
 */
import { intOption, parseArgs, stringOption } from './cli-args.js';
import { reportErrors } from './backup-cli.js';
import { locateCluster, statusOrExplain } from './cluster/locate-cluster.js';
import { describeResize, resizeCluster, resizeRequestFrom } from './cluster/resize.js';
import { startLongRunningCluster, startRequestFrom } from './cluster/start.js';
import { stateFilePath } from './cluster/state-file.js';
import { formatClusterStatus } from './cluster/status-table.js';
import { stopCluster } from './cluster/stop.js';
import type { Command } from './main.js';

const USAGE = `usage:
  quire cluster start  [--core N (2)] [--task N (1)] [--memory-per-worker SIZE] [--scratch DIR] [--bootstrap FILE]...
  quire cluster status [--json]
  quire cluster resize [--task N] [--core N] [--force]
  quire cluster stop
every subcommand also takes --cluster URL (a running cluster's URL with its token) or --state FILE
(default: $QUIRE_STATE_DIR/cluster.json, $XDG_STATE_HOME/quire/cluster.json or ~/.local/state/quire/cluster.json).
start prints the cluster's URL as its last line.`;

const COMMON_VALUES = ['cluster', 'state'];
const SUBCOMMANDS = ['start', 'status', 'resize', 'stop'];

function out(line: string): void {
  process.stdout.write(line + '\n');
}

async function run(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (!subcommand || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    process.stdout.write(USAGE + '\n');
    return subcommand ? 0 : 2;
  }
  if (!SUBCOMMANDS.includes(subcommand)) {
    process.stderr.write(`quire cluster: unknown subcommand '${subcommand}'; expected ${SUBCOMMANDS.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  return reportErrors(`cluster ${subcommand}`, USAGE, async () => {
    switch (subcommand) {
      case 'start': {
        const { bootstrap, remaining } = takeRepeated(rest, 'bootstrap');
        const { options } = parseExactly(remaining, ['core', 'task', 'memory-per-worker', 'scratch'], []);
        if (options.cluster) throw new Error('start takes no --cluster option: it starts a new cluster');
        await startLongRunningCluster(startRequestFrom(options, bootstrap), stateFilePath(stringOption(options, 'state')), out);
        return 0;
      }
      case 'status': {
        const { options } = parseExactly(rest, [], ['json']);
        const status = await statusOrExplain(locateCluster(stringOption(options, 'cluster'), stateFilePath(stringOption(options, 'state'))));
        process.stdout.write(options.json ? JSON.stringify(status, null, 1) + '\n' : formatClusterStatus(status));
        return 0;
      }
      case 'resize': {
        const { options } = parseExactly(rest, ['task', 'core'], ['force']);
        const request = resizeRequestFrom({
          task: options.task === undefined ? undefined : intOption(options, 'task', 0),
          core: options.core === undefined ? undefined : intOption(options, 'core', 0),
          force: options.force === true,
        });
        const located = locateCluster(stringOption(options, 'cluster'), stateFilePath(stringOption(options, 'state')));
        await statusOrExplain(located);
        for (const line of describeResize(await resizeCluster(located.cluster, request), request.force)) out(line);
        return 0;
      }
      case 'stop': {
        const { options } = parseExactly(rest, [], []);
        const stateFile = stateFilePath(stringOption(options, 'state'));
        await stopCluster(locateCluster(stringOption(options, 'cluster'), stateFile), stateFile, out);
        return 0;
      }
      default:
        throw new Error(`subcommand '${subcommand}' has no handler`);
    }
  });
}

function parseExactly(argv: string[], values: string[], flags: string[]) {
  const parsed = parseArgs(argv, { values: [...COMMON_VALUES, ...values], flags });
  if (parsed.positional.length > 0) throw new Error(`unexpected argument '${parsed.positional[0]}'`);
  return parsed;
}

/** `--name V` may repeat; the shared parser keeps one value per name, so repeated ones are taken out first. */
function takeRepeated(argv: string[], name: string): { bootstrap: string[]; remaining: string[] } {
  const values: string[] = [];
  const remaining: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.push(value);
    } else if (arg.startsWith(`--${name}=`)) {
      values.push(arg.slice(name.length + 3));
    } else {
      remaining.push(arg);
    }
  }
  return { bootstrap: values, remaining };
}

export const command: Command = { summary: 'start, inspect, resize or stop a long-running local cluster', run };

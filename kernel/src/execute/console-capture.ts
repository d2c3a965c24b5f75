/** A `console` whose stdout and stderr become the running cell's stream output. */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { CellOutput } from './output.js';

export function createCapturingConsole(output: () => CellOutput): Console {
  const streamTo = (name: 'stdout' | 'stderr'): Writable =>
    new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, done) {
        output().stream(name, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  return new Console({ stdout: streamTo('stdout'), stderr: streamTo('stderr'), colorMode: false });
}

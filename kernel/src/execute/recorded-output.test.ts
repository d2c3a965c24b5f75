import { describe, expect, it } from 'vitest';
import { OutputCollector } from '../replay/output-collector.js';
import { RecordedOutput } from './recorded-output.js';

const bundle = (text: string) => ({ data: { 'text/plain': text }, metadata: {} });

describe('RecordedOutput', () => {
  it('withdraws one display and leaves the other outputs, in order, with their display ids', () => {
    const collector = new OutputCollector();
    const output = new RecordedOutput(collector);
    output.stream('stdout', 'loading ');
    output.display(bundle('job 1 running'), 'progress', false);
    output.stream('stdout', 'done\n');
    output.display(bundle('chart v1'), 'chart', false);
    output.display(bundle('job 1 succeeded'), 'progress', true);
    output.display(bundle('chart v2'), 'chart', true);
    output.withdraw('progress');
    expect(collector.outputs).toEqual([
      // Without the progress between them, the two writes are one stream, as a front end shows them.
      { output_type: 'stream', name: 'stdout', text: 'loading done\n' },
      { output_type: 'display_data', data: { 'text/plain': 'chart v2' }, metadata: {} },
    ]);
    // The shown-again display keeps its id, so later updates still reach it.
    output.display(bundle('chart v3'), 'chart', true);
    expect(collector.outputs.at(-1)).toMatchObject({ data: { 'text/plain': 'chart v3' } });
  });

  it('leaves no output when the withdrawn display was the only one', () => {
    const collector = new OutputCollector();
    const output = new RecordedOutput(collector);
    output.display(bundle('job 1 running'), 'progress', false);
    output.withdraw('progress');
    expect(collector.outputs).toEqual([]);
    collector.add({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} });
    expect(collector.outputs.map((o) => o.output_type)).toEqual(['execute_result']);
  });

  it('forgets outputs the cell cleared, and ignores ids it never showed', () => {
    const collector = new OutputCollector();
    const output = new RecordedOutput(collector);
    output.stream('stdout', 'old\n');
    output.clearOutput(true);
    output.display(bundle('job 1 running'), 'progress', false);
    output.stream('stdout', 'new\n');
    output.withdraw('unknown');
    expect(collector.outputs).toHaveLength(2);
    output.withdraw('progress');
    expect(collector.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'new\n' }]);
  });
});

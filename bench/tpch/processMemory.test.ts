import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PeakMemorySampler } from './processMemory.js';

describe('PeakMemorySampler', () => {
  it('reports the peak RSS of the driver and of a child that has already exited', async () => {
    const sampler = new PeakMemorySampler(process.pid, 50);
    // The child touches 200 MiB, holds it briefly, then exits before the sampler stops.
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(200 * 2 ** 20, 1); setTimeout(() => b.length, 600)']);
    await new Promise((resolve) => child.once('exit', resolve));
    const peaks = sampler.stop();
    const driver = peaks.find((p) => p.pid === process.pid);
    const childPeak = peaks.find((p) => p.pid === child.pid);
    expect(driver?.role).toBe('driver');
    expect(driver!.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(childPeak?.peakRssBytes).toBeGreaterThan(200 * 2 ** 20);
  });
});

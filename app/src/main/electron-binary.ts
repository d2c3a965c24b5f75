import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronAvailability = { available: true; binary: string } | { available: false; reason: string };

/**
 * Whether Electron can show a window here: its binary is installed (the `electron` package throws
 * "Electron failed to install correctly" when its download never happened), a display exists, and the
 * binary runs (its shared libraries are present).
 */
export function findElectron(appDir: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): ElectronAvailability {
  let binary: unknown;
  try {
    binary = createRequire(path.join(appDir, 'package.json'))('electron');
  } catch (error) {
    return { available: false, reason: `Electron is not usable: ${firstLine((error as Error).message)}` };
  }
  if (typeof binary !== 'string') return { available: false, reason: 'Electron is not usable: the electron package did not name its binary' };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { available: false, reason: 'Electron needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set' };
  }
  // As Node, `--version` needs no display: this only proves the binary and its libraries load.
  const probe = spawnSync(binary, ['--version'], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 20_000 });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? firstLine(probe.stderr) ?? `exit code ${probe.status}`;
    return { available: false, reason: `Electron at ${binary} does not run: ${why}` };
  }
  return { available: true, binary };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

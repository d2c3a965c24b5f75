import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAX_RECENT = 10;

interface RecentFile {
  /** Per notebook root, most recent first: the same relative path means different files under different roots. */
  roots: Record<string, string[]>;
}

/** The recently opened notebooks, kept in a JSON file in the app's user-data folder. */
export class RecentNotebooks {
  constructor(private readonly file: string, private readonly root: string) {}

  async list(): Promise<string[]> {
    return (await this.read()).roots[this.root] ?? [];
  }

  async add(notebook: string): Promise<string[]> {
    const data = await this.read();
    const list = [notebook, ...(data.roots[this.root] ?? []).filter((entry) => entry !== notebook)].slice(0, MAX_RECENT);
    data.roots[this.root] = list;
    await mkdir(path.dirname(this.file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a truncated list.
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(data, null, 2));
    await rename(temporary, this.file);
    return list;
  }

  private async read(): Promise<RecentFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { roots: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (!isRecentFile(parsed)) throw new Error(`${this.file} is not a recent-notebooks list; delete it to start a new one`);
    return parsed;
  }
}

function isRecentFile(value: unknown): value is RecentFile {
  if (typeof value !== 'object' || value === null) return false;
  const roots = (value as { roots?: unknown }).roots;
  if (typeof roots !== 'object' || roots === null) return false;
  return Object.values(roots).every((list) => Array.isArray(list) && list.every((entry) => typeof entry === 'string'));
}

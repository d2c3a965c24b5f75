import {
  ContentsManager,
  KernelManager,
  KernelSpecManager,
  type ServerConnection,
  SessionManager,
} from '@jupyterlab/services';

/** The kernels the server offers, and the one new notebooks get. */
export interface KernelChoice {
  available: ReadonlySet<string>;
  /** `quire` when the server offers it, else the server's default. */
  defaultKernel: string;
}

/** The Jupyter service managers the UI uses; nothing else talks to the server. */
export interface Services {
  settings: ServerConnection.ISettings;
  contents: ContentsManager;
  sessions: SessionManager;
  /**
   * Asked for at start-up but not waited for: only starting a kernel needs the answer, so the shell, the
   * listing and the notebook do not queue behind it.
   */
  kernels: Promise<KernelChoice>;
}

export function connectServices(settings: ServerConnection.ISettings): Services {
  const kernelManager = new KernelManager({ serverSettings: settings });
  const sessions = new SessionManager({ kernelManager, serverSettings: settings });
  const contents = new ContentsManager({ serverSettings: settings });
  return { settings, contents, sessions, kernels: fetchKernelChoice(settings) };
}

async function fetchKernelChoice(settings: ServerConnection.ISettings): Promise<KernelChoice> {
  const kernelSpecs = new KernelSpecManager({ serverSettings: settings });
  await kernelSpecs.ready;
  const specs = kernelSpecs.specs;
  if (!specs) throw new Error(`the server at ${settings.baseUrl} answered no kernel specs`);
  const available = new Set(Object.keys(specs.kernelspecs));
  return { available, defaultKernel: available.has('quire') ? 'quire' : specs.default };
}

/** The kernel a notebook saved with kernelspec `name` runs on: that one if the server has it, else the default. */
export async function kernelFor(services: Services, name: string | undefined): Promise<string> {
  const choice = await services.kernels;
  return name && choice.available.has(name) ? name : choice.defaultKernel;
}

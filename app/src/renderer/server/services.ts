import {
  ContentsManager,
  KernelManager,
  KernelSpecManager,
  type ServerConnection,
  SessionManager,
} from '@jupyterlab/services';

/** The Jupyter service managers the UI uses; nothing else talks to the server. */
export interface Services {
  settings: ServerConnection.ISettings;
  contents: ContentsManager;
  sessions: SessionManager;
  kernelSpecs: KernelSpecManager;
  /** The kernel new notebooks get: `quire` when the server offers it, else the server's default. */
  defaultKernel: string;
}

export async function connectServices(settings: ServerConnection.ISettings): Promise<Services> {
  const kernelManager = new KernelManager({ serverSettings: settings });
  const sessions = new SessionManager({ kernelManager, serverSettings: settings });
  const contents = new ContentsManager({ serverSettings: settings });
  const kernelSpecs = new KernelSpecManager({ serverSettings: settings });
  await kernelSpecs.ready;
  const specs = kernelSpecs.specs;
  if (!specs) throw new Error(`the server at ${settings.baseUrl} answered no kernel specs`);
  const defaultKernel = 'quire' in specs.kernelspecs ? 'quire' : specs.default;
  return { settings, contents, sessions, kernelSpecs, defaultKernel };
}

import { h } from './dom.js';
import { makeServerSettings, serverLocationFromPage } from './server/connection.js';
import { connectServices } from './server/services.js';
import { AppShell } from './shell/app-shell.js';
import { initTheme } from './theme/theme.js';

/**
 * Boots the UI: theme, server connection, then the shell. The kernel specs are fetched alongside the listing
 * and the notebook. A failure is shown, not swallowed.
 */
async function boot(root: HTMLElement): Promise<void> {
  initTheme();
  const settings = makeServerSettings(serverLocationFromPage(location));
  try {
    const services = connectServices(settings);
    const shell = new AppShell(services);
    root.replaceChildren(shell.element);
    await Promise.all([shell.start(), services.kernels]);
    document.body.dataset.ready = 'true';
  } catch (error) {
    root.replaceChildren(h('div', { class: 'fatal' },
      h('h1', {}, 'Quire could not reach its notebook server'),
      h('pre', {}, (error as Error).message),
      h('p', {}, `Server: ${settings.baseUrl}. Start it with \`npm start\`, and open the URL it prints (it carries the access token).`)));
    throw error;
  }
}

void boot(document.getElementById('app')!);

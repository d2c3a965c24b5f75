// Electron's entry point (app/package.json "main"). The main process is TypeScript like the rest of
// Quire's Node code; tsx's CommonJS hook compiles it as it loads (no build step), which works in
// Electron's main process without Node loader flags. Packaged, tsx comes from the bundled node_modules
// in the resources folder (see electron-builder.yml).
const path = require('node:path');

function tsxApi() {
  try {
    return require('tsx/cjs/api');
  } catch (error) {
    const bundled = path.join(process.resourcesPath ?? '', 'quire', 'node_modules', 'tsx', 'dist', 'cjs', 'api', 'index.cjs');
    try {
      return require(bundled);
    } catch {
      throw new Error(`Quire cannot load tsx to run its main process (not found beside the app nor at ${bundled}): ${error.message}`);
    }
  }
}

tsxApi().require('./main-process.ts', __filename);

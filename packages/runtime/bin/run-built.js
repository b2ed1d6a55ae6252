// What every meshviz command's bin file does. The bin files are committed, not built: npm links a workspace's bin
// into node_modules/.bin only if its file exists when it installs, and dist/ is built after that, so a bin pointing
// into dist/ would leave a fresh clone without `npx <command>`. This file is plain JavaScript for the same reason.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Loads a command's built entry point in this same process (signals, exit code and stdio stay the command's), or
 * says what is missing and exits 1 when it has not been built.
 * @param {string} command the command's name, as the user typed it
 * @param {URL} entry the built entry point, relative to the bin file (`new URL('../dist/main.js', import.meta.url)`)
 */
export async function runBuilt(command, entry) {
  if (!existsSync(entry)) {
    process.stderr.write(`${command}: not built (${fileURLToPath(entry)} is missing); run npm run build\n`);
    process.exit(1);
  }
  await import(entry.href);
}

// Finds the system's Chromium for the page tests (Debian's `chromium` package; .ci/run installs it):
// playwright-core drives it through its executablePath and never downloads a browser.
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** CHROMIUM_PATH if set, else the first Debian/Ubuntu location that holds an executable Chromium. */
export function findChromium(): { path: string } | { path?: undefined; reason: string } {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    return executable(wanted)
      ? { path: wanted }
      : { reason: `CHROMIUM_PATH=${wanted} is not an executable file` };
  }
  const found = CANDIDATES.find(executable);
  return found
    ? { path: found }
    : { reason: `no Chromium at ${CANDIDATES.join(' or ')} and no CHROMIUM_PATH (apt-get install chromium)` };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

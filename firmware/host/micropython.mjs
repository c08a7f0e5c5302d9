// Loads the real MicroPython interpreter (WebAssembly build, npm
// @micropython/micropython-webassembly-pyscript) into this Node process and puts the firmware's
// Python files on its file system, so `import concerto_core` works as on a board.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The firmware folder (the parent of host/). */
export const FIRMWARE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
/** What a user copies onto a board (docs/firmware.md); all of it is loaded, as on a board. */
export const FIRMWARE_FILES = ["concerto_wire.py", "concerto_core.py", "concerto_board.py", "config.py", "main.py"];
/** The repository root. */
export const REPO_DIR = join(FIRMWARE_DIR, "..");

/**
 * A MicroPython instance with the firmware core (and, when asked, other files) in its root folder.
 * stdout/stderr lines go to the given callbacks.
 *
 * @param {{extra?: Record<string,string>, stdout?: (l: string) => void, stderr?: (l: string) => void}} options
 *   extra maps a path inside MicroPython (e.g. "/fixtures/golden.tsv") to a file on this machine
 */
export async function loadFirmware(options = {}) {
  const mp = await loadMicroPython({
    stdout: options.stdout ?? ((l) => console.log(l)),
    stderr: options.stderr ?? ((l) => console.error(l)),
  });
  for (const file of FIRMWARE_FILES) {
    mp.FS.writeFile(`/${file}`, readFileSync(join(FIRMWARE_DIR, file)));
  }
  for (const [inside, outside] of Object.entries(options.extra ?? {})) {
    const dir = dirname(inside);
    if (dir !== "/") {
      mkdirs(mp.FS, dir);
    }
    mp.FS.writeFile(inside, readFileSync(outside));
  }
  return mp;
}

function mkdirs(fs, dir) {
  let path = "";
  for (const part of dir.split("/").filter(Boolean)) {
    path += "/" + part;
    try {
      fs.mkdir(path);
    } catch {
      // exists
    }
  }
}

/**
 * Runs Python code; a Python exception becomes a JS Error with just the Python traceback (the
 * WebAssembly module's own error text would print its whole minified source).
 */
export function run(mp, code) {
  try {
    return mp.runPython(code);
  } catch (e) {
    if (e && e.name === "PythonError") {
      throw new Error(`MicroPython ${e.type}: ${e.message}`);
    }
    throw e;
  }
}

/** The firmware's test modules (tests/test_*.py), sorted. */
export function testModules() {
  return readdirSync(join(FIRMWARE_DIR, "tests")).filter((f) => /^test_.*\.py$/.test(f)).sort();
}

// Runs the firmware's tests (tests/test_*.py) under the real MicroPython interpreter, one fresh
// interpreter per test module, with the protocol's shared fixtures on its file system.
// Exit code 0 when every test passed. Usage: node host/run-tests.mjs [test_module.py ...]
import { join } from "node:path";
import { FIRMWARE_DIR, REPO_DIR, loadFirmware, run, testModules } from "./micropython.mjs";

const RESOURCES = join(REPO_DIR, "shared-protocol", "src", "test", "resources");
/** The shared fixtures, as the tests see them inside MicroPython. */
export const FIXTURES = {
  "/fixtures/legacy-golden.tsv": join(RESOURCES, "legacy", "golden.tsv"),
  "/fixtures/timed-golden.txt": join(RESOURCES, "timed", "golden.txt"),
  "/fixtures/mac-vectors.json": join(RESOURCES, "timed", "mac-vectors.json"),
  "/fixtures/player-conformance.jsonl": join(RESOURCES, "conformance", "player-conformance.jsonl"),
};

const modules = process.argv.length > 2 ? process.argv.slice(2) : testModules();
let passed = 0;
let failed = 0;
for (const file of modules) {
  const name = file.replace(/\.py$/, "");
  console.log(`${name} (MicroPython)`);
  const extra = { ...FIXTURES, "/unit.py": join(FIRMWARE_DIR, "tests", "unit.py") };
  extra[`/${name}.py`] = join(FIRMWARE_DIR, "tests", `${name}.py`);
  let result = null;
  let staged = {};
  const mp = await loadFirmware({
    extra,
    stdout: (line) => {
      const m = /^RESULT (\d+) (\d+)$/.exec(line);
      if (m) {
        result = [Number(m[1]), Number(m[2])];
      } else if (line.startsWith("STAGED ")) {
        staged = JSON.parse(line.slice(7));
      } else {
        console.log(line);
      }
    },
  });
  try {
    run(mp, `import unit, ${name}\nunit.run(${name})`);
  } catch (e) {
    console.log(`  FAIL ${name} did not run: ${e.message}`);
  }
  if (result === null) {
    failed++;
  } else {
    passed += result[0];
    failed += result[1];
  }
  // Staged tests: each stage in its own top-level call (see tests/unit.py).
  try {
    run(mp, `import json\nprint('STAGED ' + json.dumps(getattr(${name}, 'STAGED', {})))`);
  } catch (e) {
    console.log(`  FAIL ${name}: cannot read STAGED: ${e.message}`);
    failed++;
  }
  for (const [test, stages] of Object.entries(staged)) {
    result = null;
    stages.forEach((fn, k) => {
      try {
        run(mp, `unit.stage(${name}, '${test}', '${fn}', ${k === stages.length - 1 ? "True" : "False"})`);
      } catch (e) {
        console.log(`  FAIL test_${test}: ${e.message}`);
      }
    });
    if (result === null) {
      failed++;
    } else {
      passed += result[0];
      failed += result[1];
    }
  }
}
console.log(`firmware tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

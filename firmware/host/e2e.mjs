// End to end on loopback: our director plays BWV 846 to four firmware players (host/shell.mjs:
// the core inside the real MicroPython, a Node UDP socket), in timed and in plain-integer mode,
// then is killed mid-piece. Checks behaviour only: every note arrives (each player's tone changes
// are the notes the director sent it, in order), nothing is left sounding at the end or after the
// director was killed. Prints the onset error of the players' tone changes against the director's
// deadlines (a measurement, never asserted: this machine may be busy).
//
//   node host/e2e.mjs [--tempo BPM] [--lead-ms MS] [--modes timed,legacy] [--keep DIR] [--no-kill]
//
// Defaults: twice the score's tempo (132 bpm, about 64 s a mode) and a 300 ms lead (as on Wi-Fi,
// so a busy build machine does not make notes late).
//
// Needs the director's jar (director-app/target/director-app-*-all.jar: ./mvnw package builds it)
// and java (CONCERTO_JAVA, else java on the PATH). Sends only to 127.0.0.1.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIRMWARE_DIR, REPO_DIR } from "./micropython.mjs";

const VOICES = ["bass", "tenor", "arpeggio", "soprano"];
const SCORE = join(REPO_DIR, "scores", "bwv846.json");
const LEASE_BOUND_MS = 2250; // PROTOCOL.md: a player whose director vanished is silent within 2.25 s
const WATCHDOG_S = 2; // the plain integer has no lease: the firmware's watchdog, short for the test

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const tempo = opt("--tempo", "132");
const leadMs = opt("--lead-ms", "300");
const modes = opt("--modes", "timed,legacy").split(",");
const keep = opt("--keep", null);
const kill = !args.includes("--no-kill");

const jarDir = join(REPO_DIR, "director-app", "target");
const jar = (() => {
  try {
    return readdirSync(jarDir).filter((f) => /^director-app-.*-all\.jar$/.test(f)).map((f) => join(jarDir, f))[0];
  } catch {
    return undefined;
  }
})();
if (!jar) {
  console.error(`e2e: no director jar in ${jarDir}; build it first (./mvnw package, or ./mvnw verify)`);
  process.exit(2);
}
const work = keep ?? mkdtempSync(join(tmpdir(), "concerto-firmware-e2e-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startShell(name, log) {
  const child = spawn(process.execPath, [join(FIRMWARE_DIR, "host", "shell.mjs"), "--bind", "127.0.0.1:0",
    "--name", name, "--log", log, "--watchdog-s", String(WATCHDOG_S), "--log-datagrams"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ name, child, port: Number(m[1]), log });
    });
    child.on("exit", (code) => reject(new Error(`shell ${name} exited (${code}) before listening`)));
  });
}

async function stopShell(s) {
  const done = new Promise((r) => s.child.on("exit", r));
  s.child.kill("SIGTERM");
  await done;
}

function readLines(file) {
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

function director(rosterFile, events, extra = []) {
  const child = spawn(process.env.CONCERTO_JAVA || "java", ["-jar", jar, "play", SCORE, "--roster", rosterFile, "--tempo", tempo,
    "--events", events, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, output })));
  return { child, exited };
}

/**
 * The melody a player sounded or was sent: its non-zero pitches in order, a repeated pitch merged
 * (a silence between two equal notes, or a lease that ran out under load before its extension
 * arrived, does not make a new note). Each with the time of its first change to that pitch.
 */
function melody(seq) {
  const out = [];
  for (const x of seq) {
    if (x.hz !== 0 && (out.length === 0 || out[out.length - 1].hz !== x.hz)) out.push(x);
  }
  return out;
}

/** Indices of notes matching heard in order (heard a subsequence of notes), or null. */
function subsequence(heard, notes) {
  const idx = [];
  let j = 0;
  for (const h of heard) {
    while (j < notes.length && notes[j].hz !== h.hz) j++;
    if (j === notes.length) return null;
    idx.push(j++);
  }
  return idx;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function playMode(mode) {
  const dir = join(work, mode);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const shells = await Promise.all(VOICES.map((v) => startShell(v, join(dir, `${v}.jsonl`))));
  const roster = { players: shells.map((s) => ({ name: s.name, host: "127.0.0.1", port: s.port, protocol: mode, voice: s.name })) };
  const rosterFile = join(dir, "roster.json");
  writeFileSync(rosterFile, JSON.stringify(roster, null, 2));
  const events = join(dir, "director.jsonl");
  const d = director(rosterFile, events, mode === "timed" ? ["--lead-ms", leadMs] : []);
  const res = await d.exited;
  await sleep(300);
  await Promise.all(shells.map(stopShell));
  const failures = [];
  if (res.code !== 0) failures.push(`director exited ${res.code}: ${res.output.trim().split("\n").slice(-3).join(" | ")}`);
  const sent = readLines(events);
  const errors = []; // applied minus the director's deadline
  const due = []; // when the core had it due (in the shell's clock) minus the deadline
  const wakes = []; // how late the shell process woke for it
  for (const s of shells) {
    const lines = readLines(s.log);
    const end = lines.at(-1);
    const heard = melody(lines.filter((l) => l.hz !== undefined).map((l) => ({ hz: Math.round(l.hz), t: l.t_us,
      wake: l.player_us - l.due_player_us })));
    // What the director sent this player while playing (its closing silences are not notes).
    const notes = melody(sent.filter((e) => e.player === s.name && e.t_us <= lastNoteSend(sent))
      .map((e) => ({ hz: Math.round(e.hz), t: e.deadline_us }))); // the director logs the exact pitch
    // A tone the director sent after its lease had run out is dropped as expired (the protocol's
    // rule; it happens when this machine stalls the director for longer than the lead plus the
    // lease). Such notes may be missing; nothing else may be, and nothing may be added.
    const expired = lines.filter((l) => l.outcome === "expired").length;
    const matched = subsequence(heard, notes);
    if (matched === null) {
      failures.push(`${mode} ${s.name}: heard ${heard.length} notes, not in the order the director sent its ${notes.length}; first difference at #${heard.findIndex((h, i) => !notes[i] || h.hz !== notes[i].hz)}`);
    } else if (notes.length - heard.length > 2 * expired) {
      failures.push(`${mode} ${s.name}: ${notes.length - heard.length} of ${notes.length} notes missing (${expired} arrived expired)`);
    } else {
      if (expired > 0) {
        console.log(`${mode} ${s.name}: ${notes.length - heard.length} notes missing: ${expired} tones arrived after their lease (the director was stalled) and were dropped as expired`);
      }
      heard.forEach((h, i) => {
        const n = notes[matched[i]];
        errors.push(h.t - n.t);
        due.push(h.t - h.wake - n.t);
        wakes.push(h.wake);
      });
    }
    if (!end || end.hz_now !== 0) failures.push(`${mode} ${s.name}: still sounding ${end?.hz_now} Hz at the end`);
  }
  return { failures, errors, due, wakes, dir };
}

/** The time of the last send that belongs to the music (before the closing repeated silences). */
function lastNoteSend(sent) {
  let last = 0;
  for (const e of sent) {
    if (e.deadline_us !== e.t_us || e.hz !== 0) last = Math.max(last, e.t_us);
  }
  return last;
}

async function killMode(mode) {
  const dir = join(work, `${mode}-kill`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const shells = await Promise.all(VOICES.map((v) => startShell(v, join(dir, `${v}.jsonl`))));
  const roster = { players: shells.map((s) => ({ name: s.name, host: "127.0.0.1", port: s.port, protocol: mode, voice: s.name })) };
  writeFileSync(join(dir, "roster.json"), JSON.stringify(roster));
  const d = director(join(dir, "roster.json"), join(dir, "director.jsonl"), ["--from", "2"]);
  // Wait until a note has sounded, then kill the director with no chance to send its silences.
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && !shells.some((s) => readLines(s.log).some((l) => l.hz > 0))) await sleep(100);
  await sleep(1000);
  d.child.kill("SIGKILL");
  await d.exited;
  const bound = mode === "timed" ? LEASE_BOUND_MS : WATCHDOG_S * 1000 + 1000;
  await sleep(bound + 500);
  await Promise.all(shells.map(stopShell));
  const failures = [];
  let sounded = 0;
  for (const s of shells) {
    const lines = readLines(s.log);
    if (lines.some((l) => l.hz > 0)) sounded++;
    if (lines.at(-1)?.hz_now !== 0) failures.push(`${mode}: ${s.name} still sounds ${lines.at(-1)?.hz_now} Hz ${bound + 500} ms after the director was killed`);
  }
  if (sounded === 0) failures.push(`${mode}: no player sounded before the kill`);
  return failures;
}

function summary(errors) {
  const s = [...errors].sort((a, b) => a - b).map((x) => x / 1000);
  return `n=${s.length} ms: p50 ${percentile(s, 50).toFixed(2)}, p95 ${percentile(s, 95).toFixed(2)}, ` +
    `p99 ${percentile(s, 99).toFixed(2)}, min ${s[0].toFixed(2)}, max ${s.at(-1).toFixed(2)}`;
}

const failures = [];
for (const mode of modes) {
  const r = await playMode(mode);
  failures.push(...r.failures);
  if (r.errors.length) {
    const how = mode === "timed" ? `lead ${leadMs} ms` : "sent when due";
    console.log(`${mode.padEnd(6)} BWV 846 at ${tempo} bpm, 4 players, ${how}: ${summary(r.errors)}`);
    console.log(`         of which  due in the core vs deadline: ${summary(r.due)}`);
    console.log(`         and       shell process woke late by:  ${summary(r.wakes)}`);
  }
  if (kill) failures.push(...(await killMode(mode)));
}
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`logs kept in ${work}`);
if (failures.length) {
  console.log("e2e FAILED:\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log(`e2e ok: ${modes.join(" and ")}, every note arrived, nothing stuck${kill ? " (also after the director was killed)" : ""}`);

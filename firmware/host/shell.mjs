// A player on loopback made of the firmware core running inside the real MicroPython interpreter
// and a Node UDP socket: the stand-in for a board's shell (concerto_board.py). It feeds every
// datagram to the core with the receive time, answers clock syncs from the same socket, and
// applies the core's tone changes at their time (a timer, then a short spin), logging each one.
//
//   node host/shell.mjs --bind 127.0.0.1:10001 [--name NAME] [--log FILE] [--watchdog-s S]
//                       [--key-file FILE] [--ticks-wrap-in-s S]
//
// The board clock is Node's monotonic clock (CLOCK_MONOTONIC, as Java's nanoTime) seen through a
// wrapping 2**30 us tick counter that wraps --ticks-wrap-in-s seconds after start (default 20), so
// every run crosses a wrap. Prints "listening HOST:PORT" once bound. SIGTERM/SIGINT: log the
// counters and exit 0. Log lines (JSON): {"t_us": epoch us when applied, "hz", "player_us" (the
// board clock then), "due_player_us" (when the core said it was due: the difference is how late
// this process woke)}; a
// change that fell due and was overtaken while the process was not scheduled is logged with
// "overtaken": true and its "due_player_us".
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { openSync, readFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { FIRMWARE_DIR, loadFirmware, run } from "./micropython.mjs";

const TICKS_PERIOD = 2 ** 30;
const SPIN_US = 2000; // wake this long before a change, then spin: setTimeout is ~1 ms coarse
const KEEPALIVE_MS = 1000; // reads the clock at least this often (the wrap needs one per 9 min)
const SYNC = 2;
const REJECT = 16;
const REJECTION_LOG_INTERVAL_MS = 10_000;

function parseArgs(argv) {
  const o = { bind: "127.0.0.1:10001", name: "firmware", log: null, watchdogS: 0, keyFile: null, wrapInS: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--bind") o.bind = v();
    else if (a === "--name") o.name = v();
    else if (a === "--log") o.log = v();
    else if (a === "--watchdog-s") o.watchdogS = Number(v());
    else if (a === "--key-file") o.keyFile = v();
    else if (a === "--ticks-wrap-in-s") o.wrapInS = Number(v());
    else if (a === "--log-datagrams") o.logDatagrams = true;
    else usage(`unknown option ${a}`);
  }
  const m = /^(.*):(\d+)$/.exec(o.bind);
  if (!m) usage(`--bind ${o.bind}: expected HOST:PORT`);
  o.host = m[1].replace(/^\[(.*)\]$/, "$1");
  o.port = Number(m[2]);
  return o;
}

function usage(why) {
  console.error(`shell: ${why}\nusage: node host/shell.mjs --bind HOST:PORT [--name N] [--log FILE] [--watchdog-s S] [--key-file F] [--ticks-wrap-in-s S]`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const monoUs = () => Number(process.hrtime.bigint() / 1000n);
const epochUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const tickOffset = TICKS_PERIOD - Math.round(opts.wrapInS * 1e6) - monoUs();
const ticksNow = () => (((monoUs() + tickOffset) % TICKS_PERIOD) + TICKS_PERIOD) % TICKS_PERIOD;

const mp = await loadFirmware({ extra: { "/shell_glue.py": join(FIRMWARE_DIR, "host", "shell_glue.py") } });
run(mp, "import shell_glue");
const glue = mp.pyimport("shell_glue");
let keyHex = "";
if (opts.keyFile) {
  try {
    keyHex = readFileSync(opts.keyFile).toString("hex");
  } catch (e) {
    usage(`--key-file ${opts.keyFile}: ${e.message}`);
  }
}
// This player's signer for its signed replies: 32 random bits per start (PROTOCOL.md).
glue.init(keyHex, Math.round(opts.watchdogS * 1000), ticksNow(), randomBytes(4).toString("hex"));

const log = opts.log ? openSync(opts.log, "w") : null;
const writeLog = (obj) => {
  if (log !== null) writeSync(log, JSON.stringify(obj) + "\n");
};

let currentMhz = 0;
let timer = null;
const lastRejectionLog = new Map();

/** Brings the sound up to date at these ticks (default: now) and sets the timer for the next change. */
function update(ticks = ticksNow()) {
  const [head, ...overtaken] = glue.due(ticks).split(" ").reduce((acc, f, i) => {
    if (i < 4) acc[0].push(Number(f));
    else acc.push(f.split("@").map(Number));
    return acc;
  }, [[]]);
  const [mhz, delay, now, dueAt] = head;
  for (const [m, dueUs] of overtaken) {
    // Fell due while this process was not scheduled, and was overtaken before it woke: sounded for
    // no time at all. Logged (late, at the wake time) so a reader sees it arrived.
    writeLog({ t_us: epochUs(), hz: m / 1000, player_us: now, due_player_us: dueUs, overtaken: true });
    currentMhz = m;
  }
  if (mhz !== currentMhz) {
    currentMhz = mhz; // a board sets its PWM here
    writeLog({ t_us: epochUs(), hz: mhz / 1000, player_us: now, due_player_us: dueAt });
  }
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (delay >= 0) {
    const target = monoUs() + delay;
    timer = setTimeout(() => {
      timer = null;
      while (monoUs() < target) {
        // spin the last stretch
      }
      update();
    }, Math.max(0, (delay - SPIN_US) / 1000));
  }
}

const socket = dgram.createSocket(opts.host.includes(":") ? "udp6" : "udp4");
socket.on("message", (msg, rinfo) => {
  const ticks = ticksNow(); // t2: as early as possible after the receive
  let code;
  try {
    update(ticks); // first what fell due before this datagram (it may overtake it)
    code = glue.rx(msg.toString("hex"), rinfo.address, rinfo.port, ticks);
    if (opts.logDatagrams) writeLog({ t_us: epochUs(), rx: msg.toString("latin1"), outcome: glue.outcome(code) });
  } catch (e) {
    console.error(`shell ${opts.name}: the core failed on a datagram: ${e.message}`);
    return;
  }
  if (code === SYNC) {
    const reply = Buffer.from(glue.reply(ticksNow()), "latin1"); // t3: just before sending
    socket.send(reply, rinfo.port, rinfo.address);
  } else if (code >= REJECT) {
    const last = lastRejectionLog.get(code) ?? -Infinity;
    if (Date.now() - last >= REJECTION_LOG_INTERVAL_MS) {
      lastRejectionLog.set(code, Date.now());
      console.error(`shell ${opts.name}: dropped a datagram from ${rinfo.address}:${rinfo.port}: ${glue.outcome(code)} (counted; reported at most every 10 s)`);
    }
  }
  update();
});
socket.on("error", (e) => {
  const what = e.code === "EADDRINUSE" ? `UDP port ${opts.port} on ${opts.host} is already in use: choose another with --bind`
    : e.code === "EADDRNOTAVAIL" ? `${opts.host} is not an address of this machine` : e.message;
  console.error(`shell ${opts.name}: ${what}`);
  process.exit(2);
});
socket.bind(opts.port, opts.host, () => {
  const a = socket.address();
  console.log(`listening ${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port} ${opts.name}`);
});
const keepalive = setInterval(update, KEEPALIVE_MS);

function stop() {
  clearInterval(keepalive);
  if (timer !== null) clearTimeout(timer);
  writeLog({ t_us: epochUs(), counters: JSON.parse(glue.counters()), hz_now: currentMhz / 1000 });
  if (log !== null) closeSync(log);
  socket.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

#!/usr/bin/env python3
"""Receive-to-tone latency from a player's --events file (JSON lines).

Pairs each accepted "packet" event with the "tone" event it caused (same order, same hz) and
prints percentiles of:
  applied: tone.t_us - packet.t_us        (datagram received -> audio thread applied the change)
  sound:   tone.sound_t_us - packet.t_us  (datagram received -> the changed frame leaves the output,
                                           as the generator estimates it: line buffer included)
Usage: event-latency.py EVENTS.jsonl
"""
import json
import sys


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main(path):
    events = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    packets = [e for e in events if e["event"] == "packet" and e.get("accepted")]
    tones = [e for e in events if e["event"] == "tone"]
    applied, sound = [], []
    ti = 0
    for p in packets:
        while ti < len(tones) and tones[ti]["hz"] != p["hz"]:
            ti += 1
        if ti == len(tones):
            break
        t = tones[ti]
        ti += 1
        applied.append((t["t_us"] - p["t_us"]) / 1000)
        if "sound_t_us" in t:
            sound.append((t["sound_t_us"] - p["t_us"]) / 1000)
    print(f"{len(applied)} datagrams paired with tone changes")
    for name, v in (("applied", applied), ("sound", sound)):
        if v:
            print(f"{name:8s} ms: min {min(v):6.2f}  p50 {pct(v, 50):6.2f}  p90 {pct(v, 90):6.2f}"
                  f"  p99 {pct(v, 99):6.2f}  max {max(v):6.2f}")


if __name__ == "__main__":
    main(sys.argv[1])

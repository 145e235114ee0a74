#!/usr/bin/env python3
"""Whole-process ratios that survive a noisy, shared machine.

hyperfine runs all the runs of one command, then all of the next: when the machine's load
changes between them (other users' builds), the ratio moves by +-0.3 (docs/performance.md).
This script interleaves the commands instead (round i runs A, B, C, ... in turn, in an order
that rotates each round) and reports, for every command, the median of its per-round ratios
to the first command (the baseline), with the median wall time, user+system CPU time and
CPU/wall. A slow spell then hits a whole round, and the ratios within it stay fair.

Usage: benches/paired.py ROUNDS 'baseline command' 'command' ...
Output: one line per command; exit 0. Only the Python standard library is used.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall seconds and user+system CPU seconds of one run (output discarded)."""
    start = time.perf_counter()
    child = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime


def main():
    rounds = int(sys.argv[1])
    commands = sys.argv[2:]
    for command in commands:  # warm-up: file cache, page cache of the binaries
        run(command)
    walls = {c: [] for c in commands}
    cpus = {c: [] for c in commands}
    ratios = {c: [] for c in commands}
    for i in range(rounds):
        order = commands[i % len(commands):] + commands[: i % len(commands)]
        this_round = {}
        for command in order:
            this_round[command] = run(command)
        for command in commands:
            wall, cpu = this_round[command]
            walls[command].append(wall)
            cpus[command].append(cpu)
            ratios[command].append(wall / this_round[commands[0]][0])
    for command in commands:
        r = ratios[command]
        print(
            f"{command[:70]:70}  wall median {statistics.median(walls[command]):6.2f} s"
            f"  ratio median {statistics.median(r):5.2f} (min {min(r):4.2f}, max {max(r):4.2f})"
            f"  cpu {statistics.median(cpus[command]):6.2f} s"
            f"  cpu/wall {statistics.median(cpus[command]) / statistics.median(walls[command]):4.2f}"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Summarises an async-profiler CPU profile of the hub as CPU per delivery.

Usage: ap-top.py <profile.collapsed> <deliveries in the profiled run> [interval ms, 5] [rows, 20]

The profile is async-profiler's `collapsed` output with `threads` (each stack starts with the thread's
name), sampled by `event=itimer`: every thread's CPU time, wherever it is spent (Java code, the JVM, the
kernel), so the figures add up to the process's CPU. Prints microseconds of CPU per delivery: in all, per
thread group (pool numbers dropped), under the hub's own methods (inclusive), and per self frame.
"""
import collections
import re
import sys


def group(thread):
    name = thread.strip("[]").split(" tid=")[0]
    name = re.sub(r" thread #\d+ - ", " ", name)
    return re.sub(r"\d+", "#", name)


def main():
    path, deliveries = sys.argv[1], int(sys.argv[2])
    interval_us = float(sys.argv[3]) * 1000 if len(sys.argv) > 3 else 5000.0
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    if deliveries <= 0:
        sys.exit("no deliveries in the profiled run")
    per = interval_us / deliveries
    threads, hub, own = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for line in open(path):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        n = int(n)
        frames = stack.split(";")
        total += n
        threads[group(frames[0])] += n
        own[frames[-1]] += n
        for f in set(frames[1:]):
            if f.startswith("dev/webhookhub/") and "$$Lambda" not in f:
                hub[f] += n
    print("CPU per delivery: %.1f us (%d samples of %.0f us, %d deliveries)" % (total * per, total, interval_us,
                                                                               deliveries))
    print("by thread group:")
    for name, n in threads.most_common(rows):
        print("  %8.1f us  %5.1f%%  %s" % (n * per, 100.0 * n / total, name))
    print("under the hub's methods (inclusive):")
    for name, n in hub.most_common(rows):
        print("  %8.1f us  %5.1f%%  %s" % (n * per, 100.0 * n / total, name.replace("/", ".")))
    print("self frames:")
    for name, n in own.most_common(rows):
        print("  %8.1f us  %5.1f%%  %s" % (n * per, 100.0 * n / total, name.replace("/", ".")))


if __name__ == "__main__":
    main()

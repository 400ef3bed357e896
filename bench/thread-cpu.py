#!/usr/bin/env python3
"""Per-thread CPU of a process, from /proc/<pid>/task/*/stat, grouped by thread name.

  thread-cpu.py snapshot <pid> <file>          write utime+stime (ticks) per thread
  thread-cpu.py diff <before> <after> <secs>   print CPU cores used per thread group

Thread names are the kernel's (15 characters); digits are dropped to group pools
(vert.x-eventloop-thread-0 and -1 become one group).
"""
import collections
import os
import re
import sys


def snapshot(pid, path):
    rows = []
    for tid in os.listdir("/proc/%s/task" % pid):
        try:
            with open("/proc/%s/task/%s/stat" % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        rows.append("%s\t%d\t%s" % (tid, int(fields[11]) + int(fields[12]), name))
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            tid, ticks, name = line.rstrip("\n").split("\t", 2)
            out[tid] = (int(ticks), name)
    return out


def diff(before, after, secs):
    b, a = load(before), load(after)
    tck = os.sysconf("SC_CLK_TCK")
    groups = collections.Counter()
    counts = collections.Counter()
    for tid, (ticks, name) in a.items():
        used = ticks - b.get(tid, (0, name))[0]
        g = re.sub(r"[0-9]+", "#", name).rstrip("-# ")
        groups[g] += used
        counts[g] += 1
    total = sum(groups.values())
    print("hub threads by CPU (cores = CPU seconds / run seconds; total %.2f cores):" % (total / tck / secs))
    for g, used in groups.most_common(12):
        if used == 0:
            break
        print("  %5.2f cores  %5.1f%%  %-18s (%d threads)" % (used / tck / secs, 100.0 * used / max(1, total), g,
                                                          counts[g]))


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    else:
        diff(sys.argv[2], sys.argv[3], float(sys.argv[4]))

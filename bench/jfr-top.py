#!/usr/bin/env python3
"""Summarises CPU samples from a JFR recording of the hub.

Usage: jfr-top.py <recording.jfr> [rows]

Reads jdk.ExecutionSample events (Java threads running Java code) through `jfr print --json`
and prints: samples per thread group, the top self frames (where the CPU is spent), the top
inclusive frames of the hub's own code and of Camel/Vert.x/H2 (what the time is spent under).
"""
import collections
import json
import re
import subprocess
import sys


def frame_name(f):
    m = f.get("method", {})
    t = m.get("type", {}).get("name", "?")
    return t.replace("/", ".") + "." + m.get("name", "?")


def library(name):
    for prefix, lib in [
        ("org.h2.", "H2 (SQL engine, MVStore)"),
        ("org.apache.camel.", "Camel"),
        ("io.vertx.", "Vert.x"),
        ("io.netty.", "Netty"),
        ("com.fasterxml.", "Jackson"),
        ("com.zaxxer.", "HikariCP"),
        ("dev.webhookhub.", "hub code"),
        ("sun.security.", "JDK crypto (HMAC/SHA-256)"),
        ("com.sun.crypto.", "JDK crypto (HMAC/SHA-256)"),
        ("javax.crypto.", "JDK crypto (HMAC/SHA-256)"),
        ("io.micrometer.", "Micrometer"),
        ("org.slf4j.", "logging"),
        ("org.apache.logging.", "logging"),
        ("java.", "JDK (java.*)"),
        ("jdk.", "JDK (jdk.*)"),
        ("sun.", "JDK (sun.*)"),
    ]:
        if name.startswith(prefix):
            return lib
    return name.rsplit(".", 2)[0]


def thread_group(name):
    name = name or "?"
    for pat, group in [
        (r"^vert\.x-eventloop", "vert.x event loop"),
        (r"^vert\.x-worker", "vert.x worker (Camel routes)"),
        (r"^vert\.x-internal-blocking", "vert.x internal blocking"),
        (r"^hub-inbox-writer", "hub-inbox-writer (group commit)"),
        (r"seda://git-events", "seda git-events worker"),
        (r"Aggregator", "Camel aggregator (git-events worker batches)"),
        (r"^Camel", "other Camel threads (aggregator, timers)"),
        (r"^HikariPool", "HikariCP"),
        (r"H2|MVStore|h2", "H2 background"),
        (r"^(G1|GC|VM|C1|C2)", "JVM"),
    ]:
        if re.search(pat, name):
            return group
    return name


def main():
    path = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          path], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = len(events)
    if total == 0:
        print("no execution samples")
        return
    threads = collections.Counter()
    self_frames = collections.Counter()
    self_libs = collections.Counter()
    incl = collections.Counter()
    hub_incl = collections.Counter()
    for e in events:
        v = e["values"]
        threads[thread_group((v.get("sampledThread") or {}).get("javaName"))] += 1
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        self_frames[frame_name(frames[0])] += 1
        self_libs[library(frame_name(frames[0]))] += 1
        seen = set()
        for f in frames:
            n = frame_name(f)
            if n in seen:
                continue
            seen.add(n)
            if n.startswith("dev.webhookhub."):
                hub_incl[n] += 1
            elif re.match(r"(org\.apache\.camel|io\.vertx|org\.h2|com\.zaxxer|com\.fasterxml|javax\.crypto"
                          r"|com\.sun\.crypto|sun\.security|io\.netty)", n):
                incl[n] += 1

    def show(title, counter):
        print(title)
        for name, n in counter.most_common(rows):
            print("  %5.1f%%  %6d  %s" % (100.0 * n / total, n, name))

    print("execution samples: %d" % total)
    show("samples by thread:", threads)
    show("self samples by library:", self_libs)
    show("top self frames (CPU spent in this method):", self_frames)
    show("hub code, inclusive (CPU spent in or under this method):", hub_incl)
    show("libraries, inclusive:", incl)


if __name__ == "__main__":
    main()

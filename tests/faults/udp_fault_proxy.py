#!/usr/bin/env python3
"""A UDP proxy for fault tests: datagrams between one client and one server
are dropped, duplicated, delayed and reordered on a schedule drawn from a
seeded random generator, so a failing run can be replayed with its seed.

  udp_fault_proxy.py [--listen PORT | --port-file F] --server PORT --seed N [--loss P] [--dup P]
                     [--delay-ms MAX] [--reorder P] [--stats FILE]
                     [--max-seconds S]

Binds 127.0.0.1 only. Each datagram, in each direction: lost with
probability --loss; otherwise sent after a delay drawn uniformly from
0..--delay-ms, held back a further 3 x --delay-ms (+50 ms) with probability
--reorder so that later datagrams overtake it, and sent a second time, with
its own delay, with probability --dup. Counts go to --stats (JSON) on exit
(SIGTERM, or after --max-seconds)."""

import argparse
import heapq
import json
import os
import random
import selectors
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, default=0)
    ap.add_argument("--port-file", help="write the port listened on here (with --listen 0)")
    ap.add_argument("--server", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--loss", type=float, default=0.0)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--stats")
    ap.add_argument("--max-seconds", type=float, default=300.0)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", a.listen))
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % front.getsockname()[1])
        os.replace(a.port_file + ".tmp", a.port_file)
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind(("127.0.0.1", 0))
    server = ("127.0.0.1", a.server)
    client = [None]
    stats = {d: {"in": 0, "dropped": 0, "duplicated": 0, "reordered": 0, "sent": 0}
             for d in ("to_server", "to_client")}
    queue = []  # (due, seq, direction, data)
    seq = [0]
    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def schedule(direction, data):
        st = stats[direction]
        st["in"] += 1
        if rnd.random() < a.loss:
            st["dropped"] += 1
            return
        copies = 2 if rnd.random() < a.dup else 1
        if copies == 2:
            st["duplicated"] += 1
        for _ in range(copies):
            delay = rnd.uniform(0, a.delay_ms)
            if rnd.random() < a.reorder:
                delay += 3 * a.delay_ms + 50
                st["reordered"] += 1
            seq[0] += 1
            heapq.heappush(queue, (time.monotonic() + delay / 1000.0, seq[0], direction, data))

    sel = selectors.DefaultSelector()
    sel.register(front, selectors.EVENT_READ, "to_server")
    sel.register(back, selectors.EVENT_READ, "to_client")
    end = time.monotonic() + a.max_seconds
    while running[0] and time.monotonic() < end:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, direction, data = heapq.heappop(queue)
            try:
                if direction == "to_server":
                    back.sendto(data, server)
                elif client[0] is not None:
                    front.sendto(data, client[0])
                stats[direction]["sent"] += 1
            except OSError:
                pass
        timeout = min(0.2, max(0.0, queue[0][0] - now)) if queue else 0.2
        for key, _ in sel.select(timeout):
            try:
                data, addr = key.fileobj.recvfrom(65535)
            except OSError:
                continue
            if key.data == "to_server":
                client[0] = addr
            schedule(key.data, data)
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump({"seed": a.seed, "loss": a.loss, "dup": a.dup, "delay_ms": a.delay_ms,
                       "reorder": a.reorder, **stats}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())

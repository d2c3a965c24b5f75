"""Round-trip latency of trivial execute_requests, the same jupyter_client code against each kernel.

Usage: JUPYTER_PATH=... /usr/bin/python3 roundtrip.py [--n 1000] KERNEL_NAME...
A round trip is from sending execute_request until both the execute_reply and the request's idle status
arrived (what a notebook front end waits for). Prints a table: median and p99 per kernel, and ratios to the
first kernel named.
"""
import argparse
import statistics
import time

import jupyter_client

CODE = "1 + 1"  # the same text is a trivial expression in TypeScript and in Python


def roundtrips(kernel_name, n, warmup):
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel_name, startup_timeout=120)
    try:
        times = []
        for i in range(warmup + n):
            started = time.perf_counter()
            msg_id = kc.execute(CODE)
            replied = idle = False
            while not (replied and idle):
                if not replied:
                    reply = kc.get_shell_msg(timeout=30)
                    replied = reply["parent_header"].get("msg_id") == msg_id
                    if replied and reply["content"]["status"] != "ok":
                        raise RuntimeError(f"{kernel_name}: execute failed: {reply['content']}")
                if not idle:
                    msg = kc.get_iopub_msg(timeout=30)
                    idle = (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                            and msg["content"]["execution_state"] == "idle")
            if i >= warmup:
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("kernels", nargs="+")
    args = parser.parse_args()
    results = {name: roundtrips(name, args.n, args.warmup) for name in args.kernels}
    base = args.kernels[0]
    base_median = statistics.median(results[base])
    base_p99 = p99(results[base])
    print(f"{args.n} trivial execute_requests ({CODE!r}) per kernel, round trip in ms")
    print(f"{'kernel':<12} {'median':>9} {'p99':>9} {'median/' + base:>16} {'p99/' + base:>14}")
    for name, times in results.items():
        median, tail = statistics.median(times), p99(times)
        print(f"{name:<12} {median:>9.3f} {tail:>9.3f} {median / base_median:>16.2f} {tail / base_p99:>14.2f}")


if __name__ == "__main__":
    main()

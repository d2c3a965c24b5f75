"""The kernel's cluster side under jupyter_client: %%sql runs on a transient cluster, interrupt_request cancels a
running cluster job, and shutdown_request stops the cluster's processes.

Usage: JUPYTER_PATH=... /usr/bin/python3 cluster_check.py KERNEL_STDERR_LOG   (prints 'ok <check>' lines)
"""
import subprocess
import sys
import time

import jupyter_client


def expect(condition, what):
    if not condition:
        print(f"FAILED {what}")
        with open(sys.argv[1]) as log:
            print("kernel stderr (last 40 lines):\n" + "".join(log.readlines()[-40:]), file=sys.stderr)
        sys.exit(1)


def alive(pid):
    return subprocess.run(["kill", "-0", pid], capture_output=True).returncode == 0


km, kc = jupyter_client.manager.start_new_kernel(kernel_name="quire", stderr=open(sys.argv[1], "w"), startup_timeout=120)
try:
    reply = kc.execute_interactive("%%sql -o one\nSELECT 1 AS x", timeout=170, output_hook=lambda msg: None)
    expect(reply["content"]["status"] == "ok", f"%%sql on the cluster: {reply['content']}")
    cluster = subprocess.run(["pgrep", "-P", str(km.provisioner.process.pid)], capture_output=True, text=True).stdout.split()
    expect(len(cluster) >= 1, "a cluster process runs under the kernel")
    print("ok sql")

    kc.execute_interactive("const df = await spark.sql('SELECT 1 AS a')", timeout=170, output_hook=lambda msg: None)
    code = "df.gro"
    msg_id = kc.complete(code, len(code))
    reply = kc.get_shell_msg(timeout=170)
    types = {t["text"]: t["signature"] for t in reply["content"]["metadata"].get("_jupyter_types_experimental", [])}
    expect("groupBy" in reply["content"]["matches"], f"df. completes DataFrame methods: {reply['content']['matches']}")
    expect("groupBy(" in types.get("groupBy", "") and "GroupedData" in types.get("groupBy", ""), f"with signatures: {types}")
    print("ok dataframe-completion")

    msg_id = kc.execute("const total = await spark.range(0, 300000000).groupBy().agg(sum('id')).collect(); total")
    time.sleep(3)
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=170)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    expect(reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted", f"interrupt a cluster job: {reply['content']}")
    reply = kc.execute_interactive("(await one.collect()).length", timeout=170, output_hook=lambda msg: None)
    expect(reply["content"]["status"] == "ok", f"the session keeps working after an interrupt: {reply['content']}")
    print("ok interrupt-job")

    kc.shutdown()
    for _ in range(300):
        if not km.is_alive():
            break
        time.sleep(0.1)
    expect(not km.is_alive(), "kernel exits after shutdown_request")
    for _ in range(100):
        if not any(alive(pid) for pid in cluster):
            break
        time.sleep(0.1)
    expect(not any(alive(pid) for pid in cluster), f"cluster processes stopped with the kernel: {cluster}")
    print("ok shutdown-releases-cluster")
finally:
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)

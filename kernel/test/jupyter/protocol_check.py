"""Drives `quire kernel` with Debian's real jupyter_client and checks every reply against the messaging spec.

Usage: JUPYTER_PATH=PREFIX/share/jupyter /usr/bin/python3 protocol_check.py KERNEL_STDERR_LOG
Prints one 'ok <check>' line per check; exits non-zero with the failed check on the first failure.
"""
import sys
import time

import jupyter_client
from jupyter_client.session import Session

HEADER_FIELDS = {"msg_id", "msg_type", "session", "username", "date", "version"}


class CheckFailed(Exception):
    pass


def expect(condition, what, detail=None):
    if not condition:
        raise CheckFailed(f"{what}: {detail!r}")


def check_header(msg, msg_type):
    header = msg["header"]
    expect(HEADER_FIELDS <= set(header), f"{msg_type} header fields", header)
    expect(header["msg_type"] == msg_type, f"{msg_type} msg_type", header)
    expect(header["version"].startswith("5."), f"{msg_type} protocol version", header["version"])


def reply_and_iopub(kc, msg_id, reply_type, channel="shell", timeout=30, seen=()):
    """The reply to msg_id and every iopub message it caused, up to and including its idle status
    (after `seen`, those of its iopub messages already read)."""
    get = kc.get_shell_msg if channel == "shell" else kc.get_control_msg
    reply = get(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id and reply["msg_type"] == "kernel_info_reply":
        reply = get(timeout=timeout)  # left over from wait_for_ready's probing
    expect(reply["parent_header"].get("msg_id") == msg_id, f"{reply_type} parent header", reply["parent_header"])
    check_header(reply, reply_type)
    outputs = list(seen)
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        outputs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    states = [m["content"]["execution_state"] for m in outputs if m["msg_type"] == "status"]
    expect(states[:1] == ["busy"] and states[-1:] == ["idle"], f"{reply_type}: busy ... idle around the request", states)
    return reply, outputs


def until_started(kc, msg_id, timeout=30):
    """Reads iopub up to msg_id's execute_input: the kernel has taken the request and is working on it."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            seen.append(msg)
            if msg["msg_type"] == "execute_input":
                return seen
    raise CheckFailed(f"no execute_input for {msg_id} within {timeout} s")


def execute(kc, code, **kwargs):
    msg_id = kc.execute(code, **kwargs)
    return reply_and_iopub(kc, msg_id, "execute_reply")


def of_type(outputs, msg_type):
    return [m for m in outputs if m["msg_type"] == msg_type]


def main(stderr_log):
    km = jupyter_client.KernelManager(kernel_name="quire")
    log = open(stderr_log, "w")
    km.start_kernel(stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    try:
        run_checks(km, kc, stderr_log)
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)


def run_checks(km, kc, stderr_log):
    msg_id = kc.kernel_info()
    reply, _ = reply_and_iopub(kc, msg_id, "kernel_info_reply")
    info = reply["content"]
    expect(info["status"] == "ok" and info["protocol_version"].startswith("5."), "kernel_info status/protocol", info)
    lang = info["language_info"]
    expect(lang["name"] == "typescript" and lang["file_extension"] == ".ts" and lang["mimetype"] == "text/typescript", "language_info", lang)
    expect("codemirror_mode" in lang, "language_info.codemirror_mode", lang)
    print("ok kernel_info")

    reply, out = execute(kc, "const x: number = 41\nconsole.log('hello', x)\nconsole.error('warn')\nx + 1")
    expect(reply["content"]["status"] == "ok", "execute status", reply["content"])
    count = reply["content"]["execution_count"]
    expect(of_type(out, "execute_input")[0]["content"]["code"].startswith("const x"), "execute_input", out)
    streams = [(m["content"]["name"], m["content"]["text"]) for m in of_type(out, "stream")]
    expect(("stdout", "hello 41\n") in streams and ("stderr", "warn\n") in streams, "console -> stream", streams)
    result = of_type(out, "execute_result")
    expect(len(result) == 1 and result[0]["content"]["data"]["text/plain"] == "42", "execute_result", result)
    expect(result[0]["content"]["execution_count"] == count, "execute_result count", result)
    print("ok execute")

    reply, out = execute(kc, "const x = { a: [1, 'two'], m: new Map([[1, 2]]) }\nx")
    expect(reply["content"]["execution_count"] == count + 1, "execution_count increments", reply["content"])
    expect(of_type(out, "execute_result")[0]["content"]["data"]["text/plain"] == "{ a: [ 1, 'two' ], m: Map(1) { 1 => 2 } }", "redeclared const, util.inspect text", out)
    print("ok redeclare")

    reply, out = execute(kc, "await new Promise((r) => setTimeout(r, 20))\nconst { a } = x; a.length")
    expect(of_type(out, "execute_result")[0]["content"]["data"]["text/plain"] == "2", "top-level await + destructuring", out)
    print("ok top-level-await")

    reply, out = execute(kc, "import { basename } from 'node:path'\nbasename('/a/b.txt')")
    expect(of_type(out, "execute_result")[0]["content"]["data"]["text/plain"] == "'b.txt'", "import", out)
    print("ok import")

    reply, out = execute(kc, "let y = (1 +\n")
    errors = of_type(out, "error")
    expect(reply["content"]["status"] == "error" and len(errors) == 1 and errors[0]["content"]["ename"] == "SyntaxError", "syntax error", out)
    print("ok syntax-error")

    reply, out = execute(kc, "function explode(n: number) {\n  if (n > 1) {\n    throw new RangeError(`too big: ${n}`)\n  }\n}\nexplode(2)")
    errors = of_type(out, "error")
    expect(len(errors) == 1 and errors[0]["content"]["ename"] == "RangeError" and errors[0]["content"]["evalue"] == "too big: 2", "runtime error", errors)
    tb = "\n".join(errors[0]["content"]["traceback"])
    cell = reply["content"]["execution_count"]
    expect(f"cell {cell}:3:" in tb and f"cell {cell}:6:" in tb, "traceback points at the cell's lines", tb)
    print("ok runtime-error")

    reply, out = execute(kc, "const s: number = 'text'\ns")
    errors = of_type(out, "error")
    expect(reply["content"]["status"] == "error" and len(errors) == 1 and errors[0]["content"]["ename"] == "TSError", "type error reported", out)
    expect("not assignable" in errors[0]["content"]["evalue"], "type error message", errors[0]["content"])
    print("ok type-error")

    reply, out = execute(kc, "Promise.reject(new Error('nobody waits')); 'still here'")
    expect(reply["content"]["status"] == "ok", "unhandled rejection does not fail the cell", reply["content"])
    time.sleep(0.2)
    reply, out2 = execute(kc, "1 + 1")
    stderr = "".join(m["content"]["text"] for m in of_type(out + out2, "stream") if m["content"]["name"] == "stderr")
    expect("Unhandled promise rejection" in stderr and "nobody waits" in stderr, "unhandled rejection reported on stderr", out + out2)
    expect(of_type(out2, "execute_result")[0]["content"]["data"]["text/plain"] == "2", "kernel keeps serving", out2)
    print("ok unhandled-rejection")

    # A long cell is still being type-checked (synchronously) when the third interrupt arrives. Each interrupt
    # is sent once the kernel has taken its request: one that arrives before the request is dropped, as by ipykernel.
    long_cell = "\n".join(f"const v{i}: number = {i};" for i in range(3000)) + "\nwhile (true) {}"
    for code, label, delay in (("while (true) {}", "sync loop", 0.5), ("await new Promise(() => {})", "awaited promise", 0.5), (long_cell, "sync loop before it started", 0)):
        msg_id = kc.execute(code)
        seen = until_started(kc, msg_id)
        time.sleep(delay)
        # Said before the wait, so a reply that never comes names the case.
        print(f"interrupting {label}", flush=True)
        km.interrupt_kernel()
        reply, out = reply_and_iopub(kc, msg_id, "execute_reply", seen=seen)
        errors = of_type(out, "error")
        expect(reply["content"]["status"] == "error" and errors and errors[0]["content"]["ename"] == "Interrupted", f"interrupt {label}", out)
        reply, out = execute(kc, "'alive'")
        expect(of_type(out, "execute_result")[0]["content"]["data"]["text/plain"] == "'alive'", f"serving after interrupting {label}", out)
    print("ok interrupt")

    # A failing cell aborts the execute requests already queued behind it (stop_on_error), as ipykernel does.
    failing = kc.execute("await new Promise((r) => setTimeout(r, 500))\nthrow new Error('first fails')")
    queued = [kc.execute("globalThis.ranAfterFailure = true"), kc.execute("'never'")]
    reply, out = reply_and_iopub(kc, failing, "execute_reply")
    expect(reply["content"]["status"] == "error", "the failing cell's reply", reply["content"])
    for msg_id in queued:
        reply, out = reply_and_iopub(kc, msg_id, "execute_reply")
        expect(reply["content"]["status"] == "aborted", "queued request aborted", reply["content"])
        expect(not of_type(out, "execute_input") and not of_type(out, "execute_result"), "aborted request does not run", out)
    reply, out = execute(kc, "typeof (globalThis as any).ranAfterFailure")
    expect(of_type(out, "execute_result")[0]["content"]["data"]["text/plain"] == "'undefined'", "aborted cells did not run; later ones do", out)
    failing = kc.execute("throw new Error('tolerated')", stop_on_error=False)
    queued = kc.execute("'runs anyway'")
    reply, _ = reply_and_iopub(kc, failing, "execute_reply")
    reply, out = reply_and_iopub(kc, queued, "execute_reply")
    expect(reply["content"]["status"] == "ok", "stop_on_error=False keeps the queue", reply["content"])
    # A request sent as soon as the failing cell's reply arrives came after it, and runs.
    for attempt in range(10):
        failing = kc.execute(f"throw new Error('fails {attempt}')")
        reply = kc.get_shell_msg(timeout=30)
        expect(reply["parent_header"]["msg_id"] == failing and reply["content"]["status"] == "error", "the failing cell's reply", reply["content"])
        following = kc.execute(f"'follows {attempt}'")
        reply = kc.get_shell_msg(timeout=30)
        expect(reply["parent_header"]["msg_id"] == following and reply["content"]["status"] == "ok", f"a request sent after the error reply runs (attempt {attempt})", reply["content"])
    print("ok abort-queued")

    bad = Session(key=b"not-the-key", session=kc.session.session)
    forged = bad.msg("execute_request", content={"code": "'forged'", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    bad.send(kc.shell_channel.socket, forged)
    try:
        kc.get_shell_msg(timeout=1.5)
        raise CheckFailed("a badly signed message got a reply")
    except Exception as error:  # queue.Empty
        if isinstance(error, CheckFailed):
            raise
    reply, out = execute(kc, "'after forgery'")
    expect(reply["content"]["status"] == "ok", "serving after a badly signed message", reply)
    with open(stderr_log) as f:
        expect("bad HMAC signature" in f.read(), "badly signed message logged to stderr", stderr_log)
    print("ok bad-signature")

    execute(kc, "const greeting = 'hi'")
    code = "greeting.toUpp"
    msg_id = kc.complete(code, len(code))
    reply, _ = reply_and_iopub(kc, msg_id, "complete_reply")
    c = reply["content"]
    expect(c["status"] == "ok" and "toUpperCase" in c["matches"], "completion uses earlier cells", c)
    expect(c["cursor_start"] == len("greeting.") and c["cursor_end"] == len(code), "completion cursor range", c)
    types = c["metadata"].get("_jupyter_types_experimental", [])
    expect(any(t["text"] == "toUpperCase" and "toUpperCase(): string" in t["signature"] for t in types), "completion signatures", types)
    print("ok complete")

    code = "Math.max"
    msg_id = kc.inspect(code, len(code))
    reply, _ = reply_and_iopub(kc, msg_id, "inspect_reply")
    c = reply["content"]
    expect(c["status"] == "ok" and c["found"] and "max(...values: number[]): number" in c["data"]["text/plain"], "inspect", c)
    print("ok inspect")

    for code, status in (("1 + 1", "complete"), ("function f() {", "incomplete"), ("const t = `abc", "incomplete"), ("foo(1,", "incomplete"), ("1 )", "invalid")):
        msg_id = kc.is_complete(code)
        reply, _ = reply_and_iopub(kc, msg_id, "is_complete_reply")
        expect(reply["content"]["status"] == status, f"is_complete {code!r}", reply["content"])
        if status == "incomplete":
            expect(isinstance(reply["content"]["indent"], str), "is_complete indent", reply["content"])
    print("ok is_complete")

    msg_id = kc.history(hist_access_type="tail", n=2, output=False, raw=True)
    reply, _ = reply_and_iopub(kc, msg_id, "history_reply")
    hist = reply["content"]["history"]
    expect(len(hist) == 2 and hist[-1][2] == "const greeting = 'hi'" and all(len(h) == 3 for h in hist), "history tail", hist)
    print("ok history")

    msg_id = kc.comm_info()
    reply, _ = reply_and_iopub(kc, msg_id, "comm_info_reply")
    expect(reply["content"] == {"status": "ok", "comms": {}}, "comm_info", reply["content"])
    print("ok comm_info")

    msg_id = kc.shutdown(restart=False)
    reply = kc.get_control_msg(timeout=30)
    expect(reply["msg_type"] == "shutdown_reply" and reply["parent_header"]["msg_id"] == msg_id, "shutdown_reply on control", reply)
    expect(reply["content"]["status"] == "ok" and reply["content"]["restart"] is False, "shutdown content", reply["content"])
    deadline = time.time() + 15
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.1)
    expect(not km.is_alive(), "kernel process exits after shutdown_reply")
    print("ok shutdown")


def print_kernel_log(path):
    with open(path) as log:
        print("kernel stderr (last 40 lines):\n" + "".join(log.readlines()[-40:]), file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except CheckFailed as failure:
        print(f"FAILED {failure}")
        print_kernel_log(sys.argv[1])
        sys.exit(1)
    except Exception:
        print_kernel_log(sys.argv[1])
        raise

#!/usr/bin/env python3
"""html_browser.py - drive headless Chromium over the DevTools protocol
(--remote-debugging-pipe: NUL-terminated JSON on fds 3 and 4, so no
websocket and nothing beyond the standard library) for tests/cli/html_report.sh.

    html_browser.py CHROMIUM PAGE_URL SCRIPT_JSON OUT_DIR
    html_browser.py --flags      (the command-line flags, one a line)

SCRIPT_JSON is a list of steps run in order on the loaded page:
    {"eval": "js expression"}            -> its value (returnByValue)
    {"click": "css selector"}            -> a real mouse click (Input events)
                                            at the element's centre
    {"type": "css selector", "text": s}  -> focus it and insert the text
    {"screenshot": "name.png"}           -> a full-page PNG into OUT_DIR
                                            ("viewport": true: the window only)
Prints one JSON object: {"results": [...one per step...], "requests": [URLs
the page asked for]}.  The work is bounded by a count of protocol messages
read, never by the clock.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

MAX_MESSAGES = 20000  # protocol messages read before giving up

# Headless, and nothing that talks to the network: no background services,
# and every host name fails to resolve, so the page could reach nothing
# even if it tried (`html_browser.py --flags` prints them for the shell);
# where it can, the browser also runs in a network namespace of its own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
         "--disable-domain-reliability", "--disable-client-side-phishing-detection",
         "--disable-breakpad", "--metrics-recording-only", "--no-pings",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--window-size=1280,900"]


class Browser:
    def __init__(self, exe, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():  # the child's fd 3 reads commands, fd 4 writes replies
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            no_network() + [exe] + FLAGS +
            ["--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.rx = b""
        self.next_id = 0
        self.events = []
        self.read_count = 0
        self.requests = []

    def _read(self):
        while b"\0" not in self.rx:
            self.read_count += 1
            if self.read_count > MAX_MESSAGES:
                raise RuntimeError("too many protocol reads without an answer")
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.rx += chunk
        msg, self.rx = self.rx.split(b"\0", 1)
        m = json.loads(msg)
        if m.get("method") == "Network.requestWillBeSent":
            self.requests.append(m["params"]["request"]["url"])
        return m

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        for _ in range(MAX_MESSAGES):
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)
        raise RuntimeError(f"{method}: no answer")

    def wait_event(self, name):
        for i, m in enumerate(self.events):
            if m.get("method") == name:
                del self.events[: i + 1]
                return m
        for _ in range(MAX_MESSAGES):
            m = self._read()
            self.events.append(m)
            if m.get("method") == name:
                self.events.clear()
                return m
        raise RuntimeError(f"no {name} event")

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=30)  # a cleanup bound, not a test verdict
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def no_network():
    """`unshare -n` where it works (root, or user namespaces): the browser
    then runs in a network namespace of its own with no route anywhere."""
    try:
        ok = subprocess.run(["unshare", "-n", "true"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        ok = False
    return ["unshare", "-n"] if ok else []


def main():
    if sys.argv[1:] == ["--flags"]:
        print("\n".join(FLAGS))
        return
    exe, url, steps, out_dir = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    profile = tempfile.mkdtemp(prefix="vg-chromium.", dir=out_dir)
    b = Browser(exe, profile)
    results = []
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        b.call("Page.enable", session=s)
        b.call("Network.enable", session=s)
        b.call("Page.navigate", {"url": url}, session=s)
        b.wait_event("Page.loadEventFired")

        def ev(expr):
            r = b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=s)
            if "exceptionDetails" in r:
                raise RuntimeError(f"{expr}: {r['exceptionDetails'].get('text')}")
            return r["result"].get("value")

        for step in steps:
            if "eval" in step:
                results.append(ev(step["eval"]))
            elif "click" in step:
                sel = json.dumps(step["click"])
                box = ev(f"(function(){{var e=document.querySelector({sel});e.scrollIntoView({{block: \"center\"}});"
                         f"var r=e.getBoundingClientRect();return [r.x+r.width/2,r.y+r.height/2];}})()")
                for kind in ("mousePressed", "mouseReleased"):
                    b.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                        "button": "left", "clickCount": 1}, session=s)
                results.append(box)
            elif "type" in step:
                ev(f"document.querySelector({json.dumps(step['type'])}).focus()")
                b.call("Input.insertText", {"text": step["text"]}, session=s)
                results.append(True)
            elif "screenshot" in step:
                r = b.call("Page.captureScreenshot",
                           {"format": "png", "captureBeyondViewport": not step.get("viewport")},
                           session=s)
                path = os.path.join(out_dir, step["screenshot"])
                with open(path, "wb") as f:
                    f.write(base64.b64decode(r["data"]))
                results.append(path)
    finally:
        b.close()
    print(json.dumps({"results": results, "requests": b.requests}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The interactive ./hvkit on a pseudo-terminal, as an operator types: Ctrl-C at the prompt
cancels the line, Ctrl-C in a running command interrupts only it, Ctrl-L clears the screen and
redraws the line, the up arrow recalls history, Tab completes, Ctrl-D is exit, an xl error adds no
'gogo: XlExitException' line, 'hv help' is usage with no exception, Ctrl-] leaves xl console and q xl top, 'exit' asks while domains run
and then leaves with status 0. Skipped (exit 0, with a message) when runtime/target/hvkit.jar is
not built."""
import os, pty, select, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if not os.path.isfile(os.path.join(root, "runtime/target/hvkit.jar")):
    print("skip shell-pty: runtime/target/hvkit.jar is not built (./hvkit build)")
    sys.exit(0)

pid, fd = pty.fork()
if pid == 0:
    os.chdir(root)
    os.execv(os.path.join(root, "hvkit"), ["hvkit"])

seen = b""

seen_to = 0  # how far earlier expects consumed `seen`: a reply that came in the same read as the last match is still there

def expect(what, timeout=60):
    """Reads until `what` appears after what earlier expects consumed; returns the text up to and including it."""
    global seen, seen_to
    start, deadline = seen_to, time.time() + timeout
    while what.encode() not in seen[start:]:
        left = deadline - time.time()
        if left <= 0:
            fail("timed out waiting for %r after sending %r; got:\n%s\n(the session so far ends with:\n%s)" % (what, last, seen[start:].decode(errors="replace"), seen[-800:].decode(errors="replace")))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                fail("the shell ended while waiting for %r; got:\n%s" % (what, seen[start:].decode(errors="replace")))
            seen += chunk
    seen_to = seen.index(what.encode(), start) + len(what.encode())
    return seen[start:seen_to].decode(errors="replace")

def fail(msg):
    print("FAIL shell-pty: " + msg)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.exit(1)

last = ""

def send(text):
    global last
    last = text
    os.write(fd, text.encode())

expect("g! ", 120)
for _ in range(60):  # the prompt can come before the hypervisor's components are up
    send("xl list\n")
    if "Domain-0" in expect("g! "):
        break
    time.sleep(0.5)
else:
    fail("xl never became available")
send("xl destroy nosuchdomain\n"); out = expect("g! ")
if "XlExitException" in out: fail("an xl error printed an exception line:\n" + out)
send("hv help\n"); out = expect("g! ")
if "Usage: hv" not in out or "Exception" in out: fail("hv help:\n" + out)
send("half a line"); time.sleep(0.3); send("\x03"); expect("g! ", 10)
send("xl list\n"); expect("Domain-0", 10); expect("g! ")
send("sleep 30\n"); time.sleep(1.0); t = time.time(); send("\x03"); expect("g! ", 10)
if time.time() - t > 5: fail("Ctrl-C did not interrupt sleep 30")
send("xl list\n"); expect("Domain-0", 10); expect("g! ")
# the line editor: Ctrl-L clears the screen and redraws the typed line, Ctrl-U drops it, the
# up arrow recalls the last line, Tab completes a command name
send("abc"); time.sleep(0.3); send("\x0c"); expect("\x1b[H", 10); expect("g! abc", 10)  # home, then erase (2J or J by $TERM)
send("\x15\n"); expect("\n", 10); expect("g! ", 10)
up = "\x1bOA" if b"\x1b[?1h" in seen else "\x1b[A"  # the up arrow as the terminal sends it (application cursor keys or not)
send(up); expect("xl list", 10); send("\n"); expect("Domain-0", 10); expect("g! ")
send("sle\t"); expect("sleep ", 10); send("0\n"); expect("g! ", 10)
send("xl create examples/web.cfg\n"); expect("g! ", 30)
send("xl console web\n"); time.sleep(1.5); t = time.time(); send("\x1d"); expect("g! ", 10)
if time.time() - t > 3: fail("Ctrl-] did not leave xl console")
send("xl top -d 30\n"); expect("Domain-0", 10); time.sleep(0.5); t = time.time(); send("q"); expect("g! ", 10)
if time.time() - t > 3: fail("q did not leave xl top")
send("xl list\n"); out = expect("g! ")
if "web" not in out: fail("after console and top the shell answers:\n" + out)
send("xl list | grep web\n"); out = expect("g! ")
if "web" not in out or "true" in out: fail("xl list | grep web: the line alone, no 'true':\n" + out)
send("exit\n"); expect("Leave? [y/N]", 10); send("n\n"); expect("cancelled", 10); expect("g! ")
time.sleep(0.5); send("\x04"); expect("Leave? [y/N]", 10); send("n\n"); expect("cancelled", 10); expect("g! ")  # Ctrl-D is exit
send("exit\n"); expect("Leave? [y/N]", 10); send("y\n")
deadline = time.time() + 60
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    select.select([fd], [], [], 0.2)
    try:
        os.read(fd, 4096)
    except OSError:
        pass
else:
    fail("./hvkit did not end after exit")
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    fail("./hvkit ended with %r, expected exit status 0" % (status,))
print("ok   shell-pty: Ctrl-C cancels the line and interrupts sleep, Ctrl-L clears, history and Tab work, Ctrl-D asks as exit, Ctrl-] leaves xl console, q leaves xl top, xl errors and hv help clean, grep prints no 'true', exit asks then 0")

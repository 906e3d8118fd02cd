"""The `cvbuild` command's entry point, and a resident interpreter (a zygote) for it.

A `cvbuild pdf` spends about 0.4 s before its engines get any work: starting Python and
importing typer, pydantic (and building the model classes), Jinja2, markdown-it,
emoji, PyYAML, Babel. After a build that ran in its own process, a zygote is left
behind that has imported all of that and waits, like the resident engines
(preload.py), at most cache.RESIDENT_IDLE_S for the next command.

The next `cvbuild` connects to its socket in the private cache folder and hands over
its arguments, working folder, umask, environment and standard streams (the file
descriptors themselves, SCM_RIGHTS). The zygote forks, and the child runs that command
exactly as a new process would: nothing of one command survives into the next (each
child starts from the freshly imported state), it writes to the caller's own terminal,
and its exit status goes back to the caller, which forwards Ctrl-C to it.

A zygote serves only the interpreter and code it was started from: its socket's name
is a hash of the Python executable, its version, sys.path, the signature of every
file of the cvbuild package and of every sys.path folder (an install changes them),
and the environment. Anything else finds no socket and runs in its own process.
Linux only; CVBUILD_RESIDENT=0 turns zygotes off along with the resident engines.

This module imports only the standard library: it runs before anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import sys

MAX_ZYGOTES = 4
# `watch` is long-lived and has its own warm state; the rest is served
NOT_SERVED = {"watch"}
# what changes from one shell command to the next without changing what runs
_VOLATILE_ENV = {"PWD", "OLDPWD", "_", "SHLVL"}


def main() -> None:
    """`cvbuild`: served by a zygote when one is waiting, else run here (and a zygote
    left behind after a build)."""
    argv = sys.argv[1:]
    command = next((a for a in argv if not a.startswith("-")), None)
    path = socket_path() if enabled() and command not in NOT_SERVED else None
    if path is not None:
        try:
            code = run_in_zygote(path, sys.argv)
        except KeyboardInterrupt:  # before the command started: it may not run
            sys.stderr.write("error: interrupted\n")
            sys.exit(130)
        if code is not None:
            sys.exit(code)
    from cvbuild.cli.quick import validate_argv, validate_files

    files = validate_argv(argv)
    if files is not None:
        sys.exit(validate_files(files))
    from cvbuild.cli.main import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        if path is not None and command == "pdf" and exc.code in (0, None):
            spawn(path)
        raise


def enabled() -> bool:
    return (
        sys.platform.startswith("linux") and hasattr(socket, "send_fds")
        and os.environ.get("CVBUILD_RESIDENT", "1") != "0"
    )


def _root() -> str:
    from cvbuild.cache import resident_root

    return str(resident_root())


def key(environ: dict[str, str] | None = None) -> str:
    """What a zygote must share with its callers (see the module's docstring)."""
    environ = dict(os.environ if environ is None else environ)
    h = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = repr(part).encode("utf-8", "surrogateescape")
            h.update(len(data).to_bytes(8, "big") + data)

    add(os.path.realpath(sys.executable), sys.version, sys.path, sys.flags)
    package = os.path.dirname(os.path.abspath(__file__))
    for folder in [package, *sys.path]:
        try:
            add(folder, os.stat(folder or ".").st_mtime_ns)
        except OSError:
            add(folder, None)
    with os.scandir(package) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                add(entry.name, st.st_mtime_ns, st.st_size)
    add(sorted((k, v) for k, v in environ.items() if k not in _VOLATILE_ENV))
    return h.hexdigest()[:24]


def socket_path() -> str | None:
    path = os.path.join(_root(), f"zygote-{key()}.sock")
    return path if len(path.encode()) < 100 else None  # AF_UNIX paths are short


# ---------------------------------------------------------------------------- caller


def run_in_zygote(path: str, argv: list[str]) -> int | None:
    """Run the command in the zygote at `path`: its exit status, or None when no
    zygote answers there (nothing was run)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        umask = os.umask(0)
        os.umask(umask)
        request = json.dumps({"argv": argv, "cwd": os.getcwd(), "umask": umask,
                              "env": dict(os.environ)}).encode("utf-8", "surrogateescape")
        socket.send_fds(conn, [len(request).to_bytes(8, "big")], _std_fds())
        conn.sendall(request)
        reader = conn.makefile("rb")
        first = reader.readline()
    except OSError:
        conn.close()
        return None
    if not first.startswith(b"pid "):
        conn.close()
        return None  # it refused before running anything
    child = int(first.split()[1])

    def forward(signum, _frame):
        try:
            os.kill(child, signum)
        except OSError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        line = reader.readline()  # (a forwarded signal does not interrupt it: PEP 475)
    except OSError:
        line = b""
    conn.close()
    if line.startswith(b"exit "):
        return int(line.split()[1])
    sys.stderr.write("error: the resident cvbuild process ended without finishing "
                     "(killed?); run the command again\n")
    return 1


def _std_fds() -> list[int]:
    fds = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            fds.append(os.open(os.devnull, os.O_RDWR))
    return fds


def spawn(path: str) -> None:
    """Leave a zygote at `path`, making room among the others. (Called when none
    answered there: a socket left at `path` is a dead one's, and is replaced.)"""
    import subprocess
    from pathlib import Path

    from cvbuild.cache import private_dir

    root = private_dir(Path(path).parent)
    others = sorted((e for e in os.scandir(root) if e.name.startswith("zygote-")
                     and e.path != path), key=lambda e: e.stat().st_mtime)
    for old in others[:max(0, len(others) - MAX_ZYGOTES + 1)]:
        try:  # a zygote whose socket is gone stops (see serve)
            os.unlink(old.path)
        except OSError:
            pass
    code = "import sys; from cvbuild.cli.zygote import serve; serve(sys.argv[1], sys.argv[2])"
    flags = subprocess._args_from_interpreter_flags()  # as multiprocessing starts its own
    subprocess.Popen(
        [sys.executable, *flags, "-c", code, path, json.dumps(sys.path)], cwd="/",
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # (its socket appears once it has imported everything)
    )


# ---------------------------------------------------------------------------- zygote


def serve(path: str, path_list: str) -> None:
    """The zygote: import everything a command needs, then fork a child per caller."""
    import select
    import time

    from cvbuild.cache import RESIDENT_IDLE_S

    sys.path[:] = json.loads(path_list)  # the caller's, not "" (the folder it runs in)
    _preload()
    tmp = f"{path}.{os.getpid()}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(tmp)
    os.chmod(tmp, 0o600)
    listener.listen(8)
    os.rename(tmp, path)  # callers see it only when it can answer
    inode = os.stat(path).st_ino
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    last = time.monotonic()
    try:
        while time.monotonic() - last < RESIDENT_IDLE_S:
            try:
                if os.stat(path).st_ino != inode:
                    return  # replaced or removed: another zygote's turn
            except OSError:
                return
            ready, _, _ = select.select([listener], [], [], 5)
            if not ready:
                continue
            conn, _ = listener.accept()
            last = time.monotonic()
            if os.fork() == 0:
                listener.close()
                _child(conn)  # does not return
            conn.close()
    finally:
        try:
            if os.stat(path).st_ino == inode:
                os.unlink(path)
        except OSError:
            pass


def _preload() -> None:
    """What a command imports, so that its child need not (see the module's docstring)."""
    import concurrent.futures.thread  # noqa: F401
    import tempfile  # noqa: F401

    import babel.dates  # noqa: F401
    import emoji  # noqa: F401
    import markdown_it  # noqa: F401
    import rich.console  # noqa: F401

    import cvbuild.cli.main  # noqa: F401
    import cvbuild.engine.preload  # noqa: F401
    import cvbuild.engine.twemoji  # noqa: F401
    import cvbuild.pipeline.photo  # noqa: F401
    import cvbuild.pipeline.run  # noqa: F401
    import cvbuild.pipeline.source_date  # noqa: F401
    import cvbuild.render.localize  # noqa: F401
    import cvbuild.render.template  # noqa: F401
    import cvbuild.render.themes  # noqa: F401
    import cvbuild.source.reader  # noqa: F401
    import cvbuild.source.validate  # noqa: F401


def _child(conn: socket.socket) -> None:
    """One command, as a new process would run it; reports its exit status."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # subprocess waits for its own
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        if int.from_bytes(creds[4:8], sys.byteorder) != os.getuid():
            os._exit(1)  # another user (the folder is private: this is a second lock)
        head, fds, _, _ = socket.recv_fds(conn, 8, 3)
        size = int.from_bytes(head, "big")
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                os._exit(1)
            data += chunk
        request = json.loads(data.decode("utf-8", "surrogateescape"))
        for fd, target in zip(fds, (0, 1, 2)):
            os.dup2(fd, target)
            os.close(fd)
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            stream.reconfigure(line_buffering=os.isatty(fd))
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        conn.sendall(f"pid {os.getpid()}\n".encode())
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from cvbuild.cli.main import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:  # as an uncaught exception in a process of its own
            import traceback

            traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            pass
        try:
            conn.sendall(f"exit {code}\n".encode())
        except OSError:
            pass
        os._exit(code)

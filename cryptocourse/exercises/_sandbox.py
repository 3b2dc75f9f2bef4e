"""Operating-system isolation for grading untrusted notebooks (used by ``grade``, ``_worker``, ``_kernel_boot``).

What each piece gives, and where it is available (``Isolation.detect`` reports what this machine has):

* **A dedicated user id per kernel** (the grader runs as root, as in CI or a container): each
  submission's kernel runs as its own unprivileged uid from a reserved range (1,900,000,000 + k,
  leased with a lock file so parallel graders never share one). It cannot signal, trace or write
  anything of the grader's or of another student's, fork bombs stop at ``RLIMIT_NPROC``, and when
  its grading ends every process of that uid is killed, however it detached itself.
  If the Python installation is not readable by other users (a pyenv under ``/root``), the kernel
  keeps ``CAP_DAC_READ_SEARCH`` and Landlock decides what it may read (only used with Landlock).
* **Landlock** (Linux 5.13+, no privileges needed): the kernel may read only the Python
  installation, the course package (minus the exercise sets, whose checks hold the answers) and
  system folders, and write only its own throwaway folder. Solutions, other submissions, outputs
  and the grader's files are out of reach. With ABI 4+ it may bind only its five Jupyter ports
  (no other TCP), with ABI 6+ it cannot signal processes outside its sandbox.
* **seccomp** (x86-64, arm64): the grader's report pipe cannot be closed or replaced inside the kernel.
* **Process tracking**: the worker is a child subreaper, so nothing a kernel starts can escape to
  init; the tree is found by parent chain, uid and a per-sandbox token and killed as a whole.

Nothing here trusts the notebook: these run in the grader, the worker, or in the kernel process
before any of the learner's code.
"""
from __future__ import annotations

import ctypes
import errno
import os
import signal
import stat
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

LINUX = sys.platform.startswith("linux")
UID_BASE = 1_900_000_000
UID_COUNT = 512
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

# prctl options (linux/prctl.h)
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_KEEPCAPS, PR_SET_SECCOMP = 1, 4, 8, 22
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 38, 36, 37
CAP_DAC_READ_SEARCH = 2

# Landlock (linux/landlock.h)
_LL_CREATE, _LL_ADD_RULE, _LL_RESTRICT = 444, 445, 446
LL_EXECUTE, LL_WRITE_FILE, LL_READ_FILE, LL_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
LL_TRUNCATE = 1 << 14
LL_FILE_RIGHTS = LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE
LL_READ = LL_EXECUTE | LL_READ_FILE | LL_READ_DIR


def _libc():
    if not LINUX:
        return None
    try:
        lib = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no libc?
        return None
    lib.syscall.restype = ctypes.c_long
    return lib


_LIBC = _libc()


def _prctl(option: int, arg2: int = 0) -> int:
    if _LIBC is None:
        raise OSError(errno.ENOSYS, "prctl is Linux-only")
    result = _LIBC.prctl(ctypes.c_int(option), ctypes.c_ulong(arg2), ctypes.c_ulong(0), ctypes.c_ulong(0),
                         ctypes.c_ulong(0))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def set_no_new_privs() -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def set_parent_death_signal(sig: int = signal.SIGKILL) -> None:
    _prctl(PR_SET_PDEATHSIG, int(sig))


def set_dumpable(on: bool) -> None:
    """Non-dumpable: /proc/PID/{mem,fd,environ} of this process are closed to same-uid processes."""
    _prctl(PR_SET_DUMPABLE, 1 if on else 0)


def set_child_subreaper(on: bool) -> bool:
    """Adopt orphaned descendants (instead of init); return the previous setting."""
    if _LIBC is None:
        return False
    previous = ctypes.c_int(0)
    try:
        if _LIBC.prctl(ctypes.c_int(PR_GET_CHILD_SUBREAPER), ctypes.byref(previous), 0, 0, 0) < 0:
            return False
        _prctl(PR_SET_CHILD_SUBREAPER, 1 if on else 0)
    except OSError:
        return False
    return bool(previous.value)


# -- what this machine offers ------------------------------------------------------------
def landlock_abi() -> int:
    """The Landlock ABI version the running kernel supports (0: none)."""
    if _LIBC is None:
        return 0
    version = _LIBC.syscall(ctypes.c_long(_LL_CREATE), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return int(version) if version > 0 else 0


_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
# syscall numbers: close, dup2 (None: absent), dup3, fcntl, close_range
_FD_SYSCALLS = {"x86_64": (3, 33, 292, 72, 436), "aarch64": (57, None, 24, 25, 436)}


def _machine() -> str:
    return os.uname().machine if hasattr(os, "uname") else ""


def _readable_by_others(path: str) -> bool:
    """True if a user in no group of ours can reach ``path`` (mode bits along the way)."""
    p = Path(path)
    try:
        real = p.resolve()
    except OSError:
        return False
    parts = [real] + list(real.parents)
    for i, part in enumerate(parts):
        try:
            mode = part.stat().st_mode
        except OSError:
            return False
        if stat.S_ISDIR(mode):
            if not mode & stat.S_IXOTH or (i == 0 and not mode & stat.S_IROTH):
                return False
        elif not mode & stat.S_IROTH:
            return False
    return True


def interpreter_paths() -> list[str]:
    """Folders a kernel must read: the interpreter, its standard library, site-packages."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(os.path.realpath(sys.executable)).parent.parent)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            paths.add(sysconfig.get_paths()[key])
        except KeyError:  # pragma: no cover
            pass
    paths.update(p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p)
    return sorted(p for p in paths if os.path.isdir(p))


@dataclass
class Isolation:
    """What the grader can enforce on this machine (see the module docstring)."""

    root: bool = False
    uid_mode: bool = False
    read_cap: bool = False
    landlock: int = 0
    seccomp: bool = False
    linux: bool = LINUX
    notes: list[str] = field(default_factory=list)

    @classmethod
    def detect(cls) -> "Isolation":
        iso = cls()
        if not LINUX:
            iso.notes.append("not Linux: kernels run with your user id and full file access; grade in a container")
            return iso
        iso.root = os.geteuid() == 0
        iso.landlock = landlock_abi()
        iso.seccomp = _machine() in _FD_SYSCALLS
        package = str(Path(__file__).resolve().parent.parent)
        reachable = all(_readable_by_others(p) for p in interpreter_paths() + [os.path.realpath(sys.executable),
                                                                                 package])
        if iso.root:
            if reachable:
                iso.uid_mode = True
            elif iso.landlock:
                iso.uid_mode, iso.read_cap = True, True
            else:
                iso.notes.append("running as root, but the Python installation is not readable by other users "
                                 "and Landlock is missing: kernels run as root")
        else:
            iso.notes.append("not root: kernels run with your user id (they cannot be given their own)")
        mode = os.environ.get("CRYPTOCOURSE_GRADE_SANDBOX", "full")
        if mode in ("no-uid", "none"):  # for testing the weaker set-ups on a machine that has more
            iso.uid_mode = iso.read_cap = False
            iso.notes.append(f"own uids switched off by CRYPTOCOURSE_GRADE_SANDBOX={mode}")
        if mode == "none":
            iso.landlock, iso.seccomp = 0, False
        if not iso.landlock:
            iso.notes.append("no Landlock: file access is limited only by user ids and permissions")
        return iso

    def summary(self) -> str:
        parts = []
        parts.append("kernels under their own uid" if self.uid_mode else "kernels under the grader's uid")
        parts.append(f"Landlock ABI {self.landlock}" if self.landlock else "no Landlock")
        parts.append("seccomp fd guard" if self.seccomp else "no seccomp")
        return ", ".join(parts)


# -- user ids -------------------------------------------------------------------------------
class UidLease:
    """An unprivileged uid (and gid) reserved for one kernel at a time, across processes."""

    def __init__(self, uid: int, handle) -> None:
        self.uid = self.gid = uid
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            kill_uid(self.uid)
            self._handle.close()
            self._handle = None


def _lock_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "cryptocourse-grade-uids"
    try:
        folder.mkdir(mode=0o755)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() \
            or info.st_mode & 0o022:
        raise OSError(f"{folder} is not a private folder of this user; remove it")
    return folder


def lease_uid() -> UidLease:
    import fcntl

    folder = _lock_dir()
    for k in range(UID_COUNT):
        uid = UID_BASE + k
        handle = open(folder / f"{uid}.lock", "a+")  # noqa: SIM115 - kept open while leased
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        kill_uid(uid)  # whatever a crashed earlier run left behind
        return UidLease(uid, handle)
    raise OSError("no free sandbox uid: too many graders at once")


def drop_privileges(uid: int, gid: int, keep_read_search: bool = False) -> None:
    """Become ``uid``/``gid`` with no supplementary groups (optionally keeping CAP_DAC_READ_SEARCH)."""
    if keep_read_search:
        _prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if keep_read_search:
        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

        class Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                        ("inheritable", ctypes.c_uint32)]

        header, data = Header(0x20080522, 0), (Data * 2)()
        data[0].effective = data[0].permitted = 1 << CAP_DAC_READ_SEARCH
        if _LIBC.capset(ctypes.byref(header), data) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"capset: {os.strerror(err)}")
        _prctl(PR_SET_KEEPCAPS, 0)


# -- Landlock -------------------------------------------------------------------------------
def _syscall(*args) -> int:
    result = _LIBC.syscall(*args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return int(result)


def apply_landlock(read: list[str], write: list[str], full: list[str], bind_ports: list[int],
                   listable=(), abi: int | None = None) -> int:
    """Restrict this thread and its future children (call before any other thread starts).

    ``read``: files or folders readable (and executable); ``listable``: folders whose listings
    (only) may be read; ``write``: files writable (e.g. /dev/null); ``full``: folders with every
    right; ``bind_ports``: the only TCP ports it may bind (no TCP connections at all). Returns the
    ABI used.
    """
    abi = landlock_abi() if abi is None else abi
    if not abi:
        raise OSError(errno.ENOSYS, "Landlock is not available")
    handled = (1 << 13) - 1  # ABI 1: execute ... make_sym
    if abi >= 2:
        handled |= 1 << 13  # refer
    if abi >= 3:
        handled |= LL_TRUNCATE
    fields = [handled]
    if abi >= 4:
        fields.append((1 << 0) | (1 << 1))  # bind_tcp, connect_tcp
    if abi >= 6:
        fields.append((1 << 0) | (1 << 1))  # scope: abstract unix sockets, signals
    attr = struct.pack(f"{len(fields)}Q", *fields)
    ruleset = _syscall(ctypes.c_long(_LL_CREATE), ctypes.c_char_p(attr), ctypes.c_size_t(len(attr)),
                       ctypes.c_uint32(0))
    try:
        def allow(path: str, access: int) -> None:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                return
            try:
                if not stat.S_ISDIR(os.fstat(fd).st_mode):
                    access &= LL_FILE_RIGHTS
                rule = struct.pack("=Qi", access & handled, fd)
                _syscall(ctypes.c_long(_LL_ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(1),
                         ctypes.c_char_p(rule), ctypes.c_uint32(0))
            finally:
                os.close(fd)

        for path in read:
            allow(path, LL_READ)
        for path in listable:
            allow(path, LL_READ_DIR)
        for path in write:
            allow(path, LL_READ_FILE | LL_WRITE_FILE | (LL_TRUNCATE if abi >= 3 else 0))
        for path in full:
            allow(path, handled)
        if abi >= 4:
            for port in bind_ports:
                rule = struct.pack("=QQ", 1 << 0, int(port))
                _syscall(ctypes.c_long(_LL_ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(2),
                         ctypes.c_char_p(rule), ctypes.c_uint32(0))
        set_no_new_privs()
        _syscall(ctypes.c_long(_LL_RESTRICT), ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return abi


def package_files(package: Path | str) -> list[str]:
    """Every file of the course package a kernel may read: all but the exercise sets (they hold the
    expected answers) and the grader's own modules. Listed afresh for each kernel (Landlock rules
    follow inodes, so a file replaced since the last listing is covered)."""
    import re

    package = Path(package)
    secret = re.compile(r"^exercises/(set\w*\.py|__pycache__/set\w*\.pyc|grade\.py|_worker\.py)$")
    found = []
    for root, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if not secret.match(path.relative_to(package).as_posix()):
                found.append(str(path))
    return found


# -- seccomp: keep the report pipe in place -------------------------------------------------
def guard_fd(fd: int) -> bool:
    """Forbid close/dup2/dup3 onto/F_SETFL/close_range of ``fd`` in this thread and its children."""
    machine = _machine()
    if _LIBC is None or machine not in _FD_SYSCALLS:
        return False
    nr_close, nr_dup2, nr_dup3, nr_fcntl, nr_close_range = _FD_SYSCALLS[machine]
    # classic BPF: (code, jt, jf, k)
    LD_W_ABS, JEQ, JGT, JGE, RET = 0x20, 0x15, 0x25, 0x35, 0x06
    ALLOW, DENY = 0x7FFF0000, 0x00050000 | errno.EPERM
    NR, ARCH, ARG0, ARG1 = 0, 4, 16, 24
    prog: list[tuple[int, int, int, int]] = []

    def emit(code, jt=0, jf=0, k=0):
        prog.append((code, jt, jf, k))

    # Layout: arch check, then one block per syscall; blocks end in RET, so jumps stay forward.
    emit(LD_W_ABS, k=ARCH)
    emit(JEQ, 1, 0, _AUDIT_ARCH[machine])
    emit(RET, k=ALLOW)
    emit(LD_W_ABS, k=NR)
    blocks = []
    blocks.append((nr_close, [(LD_W_ABS, 0, 0, ARG0), (JEQ, 0, 1, fd), (RET, 0, 0, DENY), (RET, 0, 0, ALLOW)]))
    if nr_dup2 is not None:
        blocks.append((nr_dup2, [(LD_W_ABS, 0, 0, ARG1), (JEQ, 0, 1, fd), (RET, 0, 0, DENY), (RET, 0, 0, ALLOW)]))
    blocks.append((nr_dup3, [(LD_W_ABS, 0, 0, ARG1), (JEQ, 0, 1, fd), (RET, 0, 0, DENY), (RET, 0, 0, ALLOW)]))
    blocks.append((nr_fcntl, [(LD_W_ABS, 0, 0, ARG0), (JEQ, 0, 3, fd), (LD_W_ABS, 0, 0, ARG1),
                              (JEQ, 0, 1, 4), (RET, 0, 0, DENY), (RET, 0, 0, ALLOW)]))  # F_SETFL = 4
    blocks.append((nr_close_range, [(LD_W_ABS, 0, 0, ARG0), (JGT, 3, 0, fd), (LD_W_ABS, 0, 0, ARG1),
                                    (JGE, 0, 1, fd), (RET, 0, 0, DENY), (RET, 0, 0, ALLOW)]))
    # dispatch: a JEQ per block; each jumps over the remaining dispatch entries and earlier blocks
    dispatch_len = len(blocks) + 1  # + the final RET ALLOW
    offsets, pos = [], 0
    for _, body in blocks:
        offsets.append(pos)
        pos += len(body)
    for i, (nr, _) in enumerate(blocks):
        remaining_dispatch = dispatch_len - i - 1
        emit(JEQ, remaining_dispatch + offsets[i], 0, nr)
    emit(RET, k=ALLOW)
    for _, body in blocks:
        for ins in body:
            emit(*ins)

    class SockFilter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                    ("k", ctypes.c_uint32)]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

    filters = (SockFilter * len(prog))(*[SockFilter(*ins) for ins in prog])
    fprog = SockFprog(len(prog), filters)
    set_no_new_privs()
    if _LIBC.prctl(ctypes.c_int(PR_SET_SECCOMP), ctypes.c_ulong(2), ctypes.byref(fprog), ctypes.c_ulong(0),
                   ctypes.c_ulong(0)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {os.strerror(err)}")
    return True


# -- processes ------------------------------------------------------------------------------
@dataclass
class Proc:
    pid: int
    ppid: int
    uid: int
    pgid: int
    sid: int
    zombie: bool


def processes() -> dict[int, Proc]:
    """Every process this machine shows in /proc (empty where there is no /proc)."""
    table: dict[int, Proc] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as handle:
                text = handle.read(4096).decode("ascii", "replace")
        except OSError:
            continue
        fields = {}
        for line in text.splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        try:
            table[int(name)] = Proc(
                pid=int(name), ppid=int(fields.get("PPid", "0")), uid=int(fields.get("Uid", "0").split()[0]),
                pgid=int(fields.get("NSpgid", "-1").split()[-1]), sid=int(fields.get("NSsid", "-1").split()[-1]),
                zombie=fields.get("State", "").startswith(("Z", "X")))
        except (ValueError, IndexError):
            continue
    return table


def descendants(table: dict[int, Proc], root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for p in table.values():
        children.setdefault(p.ppid, []).append(p.pid)
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def environ_has(pid: int, token: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return token in handle.read(1 << 20)
    except OSError:
        return False


def kill_until_gone(select, rounds: int = 200) -> int:
    """SIGKILL every live pid ``select()`` returns until it returns none; return how many were killed."""
    killed: set[int] = set()
    for _ in range(rounds):
        pids = [pid for pid in select() if pid != os.getpid()]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGSTOP)  # freeze first: a stopped process cannot fork
            except OSError:
                pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except OSError:
                pass
        _reap()
        time.sleep(0.01)
    return len(killed)


def _reap() -> None:
    """Collect exited children we adopted as a subreaper (never one that subprocess is waiting for)."""
    for pid, p in processes().items():
        if p.ppid == os.getpid() and p.zombie and pid not in _PROTECTED:
            try:
                os.waitpid(pid, os.WNOHANG)
            except OSError:
                pass


_PROTECTED: set[int] = set()  # pids whose status belongs to a subprocess.Popen


def protect(pid: int) -> None:
    _PROTECTED.add(pid)


def unprotect(pid: int) -> None:
    _PROTECTED.discard(pid)


def kill_uid(uid: int) -> int:
    """Kill every process of ``uid`` (as root): ``kill -9 -1`` run as that uid, then a /proc sweep."""
    if not LINUX or os.geteuid() != 0:
        return 0
    for kill in ("/bin/kill", "/usr/bin/kill"):
        if os.path.exists(kill):
            try:
                subprocess.run([kill, "-9", "-1"], user=uid, group=uid, extra_groups=[],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10,
                               env={"PATH": "/usr/bin:/bin"}, close_fds=True)
            except (OSError, subprocess.SubprocessError):
                pass
            break
    return kill_until_gone(lambda: [p.pid for p in processes().values() if p.uid == uid and not p.zombie])


def memory_bytes(pid: int) -> int:
    """Proportional set size of ``pid`` (shared pages split between their users), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle.read(8192).split(b"\n"):
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


# -- reading files that may be anything -----------------------------------------------------
def read_regular_file(path: Path | str, limit: int) -> tuple[bytes | None, str | None]:
    """The bytes of a regular file of at most ``limit`` bytes, or (None, why not).

    Never blocks on a FIFO, never reads a device, a folder or more than ``limit`` + 1 bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, f"it cannot be opened ({exc.strerror or exc})"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return None, "it is a folder, not a notebook file"
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                    "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                    "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            return None, f"it is {kind}, not a notebook file"
        if info.st_size > limit:
            return None, f"it is too large ({info.st_size / 1e6:,.1f} MB; the limit is {limit / 1e6:g} MB)"
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            return None, f"it is too large (more than {limit / 1e6:g} MB)"
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"it cannot be read ({exc.strerror or exc})"
    finally:
        os.close(fd)

"""The grading sandbox's system-call filter (seccomp), as the compiled program bubblewrap's ``--seccomp`` loads.

A submission may not build a sandbox of its own or look into other processes: new namespaces (unshare, setns,
clone with a CLONE_NEW* flag), mounts, chroot and ptrace fail with EPERM, and so does every system call of
another ABI (32-bit calls on a 64-bit kernel), which could get around the numbers below. clone3, whose flags sit
in memory a filter cannot read, fails with ENOSYS: the C library then falls back to clone. All else is allowed.
"""

import errno
import platform
import struct

ARCHITECTURES = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}  # AUDIT_ARCH_* of the kernel's 64-bit ABI
BLOCKED = {  # system call: its number on x86_64, on aarch64
    "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41),
    "chroot": (161, 51), "ptrace": (101, 117), "open_tree": (428, 428), "move_mount": (429, 429),
    "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "mount_setattr": (442, 442),
}
CLONE = (56, 220)
CLONE3 = (435, 435)
X32_BIT = 0x40000000  # x86_64's x32 ABI: the same calls under other numbers
CLONE_NEW_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

# classic BPF over struct seccomp_data {u32 nr; u32 arch; u64 instruction_pointer; u64 args[6]}
LOAD_WORD, JUMP_EQUAL, JUMP_AT_LEAST, JUMP_ANY_BIT, RETURN = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000
NR, ARCH, FIRST_ARGUMENT = 0, 4, 16  # offsets in seccomp_data (the low half of args[0], little-endian)


def program(machine=None):
    """The filter as bytes (struct sock_filter[]) for ``machine`` (default: this one's)."""
    machine = machine or platform.machine()
    if machine not in ARCHITECTURES:
        raise ValueError(f"no system-call filter for {machine!r} (known: {', '.join(ARCHITECTURES)})")
    column = list(ARCHITECTURES).index(machine)
    # (code, k, where to go if true, if false): "next" or one of the three returns at the end
    checks = [(LOAD_WORD, ARCH), (JUMP_EQUAL, ARCHITECTURES[machine], "next", "deny"),
              (LOAD_WORD, NR), (JUMP_AT_LEAST, X32_BIT, "deny", "next"),
              (JUMP_EQUAL, CLONE3[column], "enosys", "next"),
              *[(JUMP_EQUAL, numbers[column], "deny", "next") for numbers in BLOCKED.values()],
              (JUMP_EQUAL, CLONE[column], "next", "allow"),
              (LOAD_WORD, FIRST_ARGUMENT), (JUMP_ANY_BIT, CLONE_NEW_FLAGS, "deny", "allow")]
    returns = {"deny": ERRNO | errno.EPERM, "allow": ALLOW, "enosys": ERRNO | errno.ENOSYS}
    where = {name: len(checks) + i for i, name in enumerate(returns)}
    code = []
    for index, (op, k, *targets) in enumerate(checks):
        jumps = [0 if t == "next" else where[t] - index - 1 for t in targets] or [0, 0]
        code.append((op, *jumps, k))
    code += [(RETURN, 0, 0, value) for value in returns.values()]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in code)

"""PCRE 8.x itself, as FreeSWITCH 1.10's switch_regex_perform calls it: pcre_compile(pattern, flags)
and pcre_exec from offset 0 with a 30-int ovector. Reads JSON lines {"p", "s", "i"} on stdin, writes
one JSON line per query: {"kind": "invalid", "message"} | {"kind": "nomatch", "rc"} |
{"kind": "match", "captures": [...]} (unset groups null). Used by test/freeswitch-pcre-oracle.test.ts."""
import ctypes
import json
import sys

lib = ctypes.CDLL('libpcre.so.3')
lib.pcre_compile.restype = ctypes.c_void_p
lib.pcre_compile.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_int), ctypes.c_void_p]
lib.pcre_exec.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
lib.pcre_version.restype = ctypes.c_char_p
PCRE_CASELESS = 0x1

compiled = {}


def run(pattern, subject, caseless):
    key = (pattern, caseless)
    if key not in compiled:
        err = ctypes.c_char_p()
        off = ctypes.c_int()
        re_ = lib.pcre_compile(pattern.encode(), PCRE_CASELESS if caseless else 0, ctypes.byref(err), ctypes.byref(off), None)
        compiled[key] = re_ if re_ else ('invalid', err.value.decode(), off.value)
    re_ = compiled[key]
    if isinstance(re_, tuple):
        return {'kind': 'invalid', 'message': re_[1], 'offset': re_[2]}
    ovector = (ctypes.c_int * 30)()
    s = subject.encode()
    rc = lib.pcre_exec(re_, None, s, len(s), 0, 0, ovector, 30)
    if rc <= 0:
        return {'kind': 'nomatch', 'rc': rc}
    return {'kind': 'match', 'captures': [None if ovector[2 * i] < 0 else s[ovector[2 * i]:ovector[2 * i + 1]].decode('utf8', 'replace') for i in range(rc)]}


if len(sys.argv) > 1 and sys.argv[1] == '--version':
    print(lib.pcre_version().decode())
    sys.exit(0)
for line in sys.stdin:
    q = json.loads(line)
    print(json.dumps(run(q['p'], q['s'], q.get('i', False))))

# The trusted test harness of PythonSandbox (see docs/task-formats.md, "The Python sandbox").
#
# Role "driver" (PID 1 of the bubblewrap sandbox): reads the request (nonce, limits, candidate module, tests)
# from stdin, makes itself non-dumpable so no other process of the sandbox can read its memory or open its
# file descriptors, starts the candidate in a child process (role "candidate") and runs the tests itself,
# with every name the candidate module defines replaced by a proxy that calls into the child. Only plain data
# crosses the pipe, decoded strictly here: the driver never runs candidate code, and only the driver writes
# the report (one JSON line with the nonce) to its stdout, which the candidate cannot reach.
import json
import os
import sys

PR_SET_DUMPABLE = 4
MAX_MESSAGE = 64 << 20


# ---- the wire format of values, shared by both roles -------------------------------------------------------

class WireError(Exception):
    """a message that is not a well-formed value"""


def encode(value, ref):
    """Plain data by value; anything else (functions, candidate objects, iterators) by reference via ref()."""
    t = type(value)
    if value is None or t is bool or t is str:
        return value
    if t is int:
        return {'i': hex(value)}
    if t is float:
        return {'f': value.hex()}
    if t is complex:
        return {'c': [value.real.hex(), value.imag.hex()]}
    if t is bytes:
        return {'y': value.hex()}
    if t is list:
        return {'l': [encode(v, ref) for v in value]}
    if t is tuple or (isinstance(value, tuple) and hasattr(t, '_fields')):
        return {'t': [encode(v, ref) for v in value]}
    if t is set:
        return {'s': [encode(v, ref) for v in value]}
    if t is frozenset:
        return {'z': [encode(v, ref) for v in value]}
    if t is dict or (isinstance(value, dict) and t.__module__ == 'collections'):
        return {'d': [[encode(k, ref), encode(v, ref)] for k, v in value.items()]}
    if t.__module__ == 'decimal' and t.__name__ == 'Decimal':
        return {'D': str(value)}
    if t.__module__ == 'fractions' and t.__name__ == 'Fraction':
        return {'Q': [hex(value.numerator), hex(value.denominator)]}
    return {'r': ref(value)}


def decode(wire, deref):
    """The inverse of encode; raises WireError on anything else (the driver decodes untrusted input)."""
    if wire is None or type(wire) is bool or type(wire) is str:
        return wire
    if type(wire) is not dict or len(wire) != 1:
        raise WireError('not a value: %.80r' % (wire,))
    (tag, body), = wire.items()
    try:
        if tag == 'i':
            return int(body, 16)
        if tag == 'f':
            return float.fromhex(body)
        if tag == 'c':
            return complex(float.fromhex(body[0]), float.fromhex(body[1]))
        if tag == 'y':
            return bytes.fromhex(body)
        if tag == 'D':
            import decimal
            return decimal.Decimal(body)
        if tag == 'Q':
            import fractions
            return fractions.Fraction(int(body[0], 16), int(body[1], 16))
        if tag == 'r':
            return deref(body)
        if type(body) is not list:
            raise WireError('not a container: %.80r' % (body,))
        if tag == 'l':
            return [decode(v, deref) for v in body]
        if tag == 't':
            return tuple(decode(v, deref) for v in body)
        if tag == 's':
            return {decode(v, deref) for v in body}
        if tag == 'z':
            return frozenset(decode(v, deref) for v in body)
        if tag == 'd':
            return {decode(k, deref): decode(v, deref) for k, v in body}
    except (TypeError, ValueError, IndexError, ArithmeticError) as e:
        raise WireError('malformed %s value: %s' % (tag, e)) from None
    raise WireError('unknown tag %.20r' % (tag,))


def send(stream, message):
    stream.write(json.dumps(message, ensure_ascii=True).encode('ascii') + b'\n')
    stream.flush()


def receive(stream):
    line = stream.readline(MAX_MESSAGE + 1)
    if not line:
        return None
    if len(line) > MAX_MESSAGE:
        raise WireError('message larger than %d bytes' % MAX_MESSAGE)
    try:
        return json.loads(line)
    except (ValueError, RecursionError) as e:
        raise WireError('message is not JSON: %s' % e) from None


# ---- role "candidate": runs the untrusted module and answers the driver's calls ---------------------------

def candidate():
    requests = os.fdopen(os.dup(0), 'rb')
    replies = os.fdopen(os.dup(1), 'wb')
    # the candidate's own prints go to stderr, so they can never be mistaken for replies
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    objects = []

    def ref(value):
        objects.append(value)
        return len(objects) - 1

    def deref(index):
        return objects[index]

    def reply_exception(e):
        send(replies, {'exc': type(e).__name__, 'msg': str(e)[:2000]})

    module = {'__name__': '__main__', '__builtins__': __builtins__}
    request = receive(requests)
    try:
        exec(compile(request['source'], 'candidate.py', 'exec'), module)
    except BaseException as e:
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
        reply_exception(e)
        os._exit(0)
    names = {}
    for name, value in module.items():
        if name.startswith('__'):
            continue
        if type(value).__name__ == 'module':
            names[name] = {'module': value.__name__}
        else:
            names[name] = encode(value, ref)
    send(replies, {'names': names})
    operations = {
        'call': lambda target, args, kwargs: target(*args, **kwargs),
        'getattr': lambda target, args, kwargs: getattr(target, *args),
        'setattr': lambda target, args, kwargs: setattr(target, *args),
        'getitem': lambda target, args, kwargs: target[args[0]],
        'iter': lambda target, args, kwargs: iter(target),
        'next': lambda target, args, kwargs: next(target),
        'len': lambda target, args, kwargs: len(target),
        'contains': lambda target, args, kwargs: args[0] in target,
        'bool': lambda target, args, kwargs: bool(target),
        'str': lambda target, args, kwargs: str(target),
        'repr': lambda target, args, kwargs: repr(target),
    }
    while True:
        request = receive(requests)
        if request is None:
            os._exit(0)
        try:
            target = objects[request['ref']]
            args = [decode(a, deref) for a in request['args']]
            kwargs = {k: decode(v, deref) for k, v in request['kwargs'].items()}
            result = operations[request['op']](target, args, kwargs)
            reply = {'value': encode(result, ref)}
        except BaseException as e:
            reply_exception(e)
            continue
        send(replies, reply)


# ---- role "driver": trusted, runs the tests and writes the report -----------------------------------------

class CandidateError(Exception):
    """an exception the candidate raised that is not a built-in one"""


class CandidateGone(BaseException):
    """the candidate process ended, or answered with something that is not a value; a BaseException, so a
    test's own `except Exception` cannot swallow it"""


def driver():
    import builtins
    import importlib
    import resource
    import subprocess
    import traceback

    request = json.loads(sys.stdin.buffer.read())
    os.close(0)
    nonce = request['nonce']
    out = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)

    def report(outcome, passed, detail):
        out.write(json.dumps({'nonce': nonce, 'outcome': outcome, 'passed': passed, 'total': len(request['tests']),
                              'detail': detail}) + '\n')
        out.flush()
        os._exit(0)

    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), 'prctl(PR_SET_DUMPABLE) failed')
    except (ImportError, OSError) as e:
        report('error', 0, 'the harness cannot protect itself: %s' % e)

    limits = request['limits']
    for name, value in (('RLIMIT_CORE', 0), ('RLIMIT_AS', limits['memoryBytes']), ('RLIMIT_FSIZE', limits['fileBytes']),
                        ('RLIMIT_NPROC', limits['processes'])):
        resource.setrlimit(getattr(resource, name), (value, value))
    cpu = limits['cpuSeconds']

    def limit_cpu():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    child = subprocess.Popen([sys.executable, '-I', '-S', '-B', '-c', request['harness'], 'candidate'],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=2, close_fds=True,
                             preexec_fn=limit_cpu)
    to_child = child.stdin
    from_child = child.stdout

    def ended():
        """why the candidate process is gone, as a report outcome and detail"""
        try:
            code = child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()
            return 'failed', 'the candidate process stopped answering'
        if code == -24:  # SIGXCPU
            return 'timeout', 'CPU-time limit exceeded'
        if code < 0:
            return 'crashed', 'the candidate process was killed by signal %d' % -code
        return 'failed', 'the candidate process ended (exit code %d) before the tests completed' % code

    def answer():
        try:
            reply = receive(from_child)
        except WireError as e:
            child.kill()
            raise CandidateGone('failed', 'the candidate sent a malformed reply: %s' % e) from None
        if reply is None:
            raise CandidateGone(*ended())
        if type(reply) is not dict:
            raise CandidateGone('failed', 'the candidate sent a malformed reply')
        if 'exc' in reply:
            raise remote_exception(reply.get('exc'), reply.get('msg'))
        return reply

    def remote_exception(name, message):
        cls = getattr(builtins, str(name), None)
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = CandidateError
        try:
            return cls(str(message))
        except Exception:
            return CandidateError('%s: %s' % (name, message))

    def to_wire(value):
        def ref(obj):
            if type(obj) is Remote:
                return object.__getattribute__(obj, '_ref')
            raise TypeError('a %s cannot be passed to the candidate' % type(obj).__name__)
        return encode(value, ref)

    def call(ref, op, args=(), kwargs=None):
        try:
            send(to_child, {'ref': ref, 'op': op, 'args': [to_wire(a) for a in args],
                            'kwargs': {k: to_wire(v) for k, v in (kwargs or {}).items()}})
        except (BrokenPipeError, ValueError):
            raise CandidateGone(*ended()) from None
        reply = answer()
        try:
            return decode(reply.get('value'), Remote)
        except (WireError, RecursionError) as e:
            child.kill()
            raise CandidateGone('failed', 'the candidate sent a malformed value: %s' % e) from None

    class Remote:
        """A candidate object living in the candidate process. Equality and hashing are by identity here:
        the candidate's own __eq__ never decides a comparison."""
        __slots__ = ('_ref',)

        def __init__(self, ref):
            if type(ref) is not int:
                raise WireError('bad reference')
            object.__setattr__(self, '_ref', ref)

        def _do(self, op, *args, **kwargs):
            return call(object.__getattribute__(self, '_ref'), op, args, kwargs)

        def __call__(self, *args, **kwargs):
            return Remote._do(self, 'call', *args, **kwargs)

        def __getattr__(self, name):
            return Remote._do(self, 'getattr', name)

        def __setattr__(self, name, value):
            Remote._do(self, 'setattr', name, value)

        def __getitem__(self, key):
            return Remote._do(self, 'getitem', key)

        def __iter__(self):
            return Remote._do(self, 'iter')

        def __next__(self):
            return Remote._do(self, 'next')

        def __len__(self):
            n = Remote._do(self, 'len')
            if type(n) is not int:
                raise TypeError('len() of a candidate object is not an int')
            return n

        def __contains__(self, item):
            return Remote._do(self, 'contains', item) is True

        def __bool__(self):
            return Remote._do(self, 'bool') is True

        def __str__(self):
            s = Remote._do(self, 'str')
            return s if type(s) is str else '<candidate object>'

        def __repr__(self):
            s = Remote._do(self, 'repr')
            return s if type(s) is str else '<candidate object>'

    passed = 0
    try:
        send(to_child, {'source': request['candidate']})
        try:
            names = answer()['names']
        except CandidateGone as e:
            report(e.args[0], 0, e.args[1])
        except MemoryError:
            report('memory', 0, 'memory limit exceeded while loading the candidate')
        except Exception as e:
            report('failed', 0, 'the candidate module raised %s: %s' % (type(e).__name__, e))
        namespace = {'__name__': '__main__', '__builtins__': builtins}
        for name, wire in dict(names).items():
            if type(wire) is dict and set(wire) == {'module'}:
                try:
                    namespace[str(name)] = importlib.import_module(str(wire['module']))
                except Exception:
                    pass  # a module the driver cannot import is simply not visible to the tests
            else:
                namespace[str(name)] = decode(wire, Remote)
        for index, test in enumerate(request['tests']):
            try:
                exec(compile(test, 'test %d' % (index + 1), 'exec'), namespace)
            except CandidateGone as e:
                report(e.args[0], passed, 'test %d: %s' % (index + 1, e.args[1]))
            except MemoryError:
                report('memory', passed, 'test %d: memory limit exceeded' % (index + 1))
            except AssertionError:
                traceback.print_exc()
                report('failed', passed, 'test %d: a test assertion failed: %s' % (index + 1, test.strip()[:200]))
            except BaseException as e:
                traceback.print_exc()
                report('failed', passed, 'test %d: the program raised %s: %s' % (index + 1, type(e).__name__, e))
            passed += 1
    except CandidateGone as e:
        report(e.args[0], passed, e.args[1])
    except WireError as e:
        report('failed', passed, 'the candidate sent a malformed message: %s' % e)
    except Exception as e:
        report('error', passed, 'harness error: %s: %s' % (type(e).__name__, e))
    report('passed', passed, 'all %d tests passed' % passed)


if __name__ == '__main__':
    candidate() if sys.argv[1:] == ['candidate'] else driver()

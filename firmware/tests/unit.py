# A very small test runner for MicroPython (no unittest on the board builds): every function whose
# name starts with test_ is a test; a failed check raises Failure with what was expected.
import sys


class Failure(Exception):
    pass


def eq(actual, expected, what=''):
    if actual != expected:
        raise Failure('%s: expected %r, got %r' % (what, expected, actual))


def true(condition, what=''):
    if not condition:
        raise Failure(what)


def stage(module, test, fn, last):
    """Runs one stage of a staged test (see STAGED in a test module); the last one reports."""
    global _staged_failure
    if fn == getattr(module, 'STAGED')[test][0]:
        _staged_failure = None
    if _staged_failure is None:
        try:
            getattr(module, fn)()
        except Exception as e:  # noqa: BLE001
            _staged_failure = repr(e)
            if not isinstance(e, Failure):
                sys.print_exception(e)
    if last:
        if _staged_failure is None:
            print('  ok   test_' + test)
            print('RESULT 1 0')
        else:
            print('  FAIL test_' + test + ': ' + _staged_failure)
            print('RESULT 0 1')


_staged_failure = None


def run(module):
    """Runs the module's tests; prints one line per test and a final 'RESULT passed failed'."""
    passed = 0
    failed = 0
    for name in sorted(dir(module)):
        if not name.startswith('test_'):
            continue
        try:
            getattr(module, name)()
            passed += 1
            print('  ok   ' + name)
        except Exception as e:  # noqa: BLE001 - a test runner reports every failure
            failed += 1
            print('  FAIL ' + name + ': ' + repr(e))
            if not isinstance(e, Failure):
                sys.print_exception(e)
    print('RESULT %d %d' % (passed, failed))

/**
 * The Python side of `python_eval`, passed to `python3 -c`. It reads `{mode, source}` from stdin
 * and writes `{ok, result}` or `{ok: false, error}` to the file named by argv[1], so the user's own
 * stdout and stderr stay untouched. Values that JSON cannot carry are reported as their repr().
 * A `code` script reports the value of its global `result`, if it sets one.
 */
export const PYTHON_RUNNER = String.raw`
import json, linecache, os, sys, traceback

def encode(value):
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError, RecursionError):
        return repr(value)

def run(job):
    filename = '<expression>' if job['mode'] == 'expression' else '<code>'
    source = job['source']
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    scope = {'__name__': '__main__', '__builtins__': __builtins__}
    if job['mode'] == 'expression':
        return eval(compile(source, filename, 'eval'), scope)
    exec(compile(source, filename, 'exec'), scope)
    return scope.get('result')

def main():
    job = json.load(sys.stdin)
    sys.stdin = open(os.devnull)
    try:
        outcome = {'ok': True, 'result': encode(run(job))}
    except SystemExit as exit:
        if exit.code in (None, 0):
            outcome = {'ok': True, 'result': None}
        else:
            outcome = {'ok': False, 'error': 'SystemExit: %s' % (exit.code,)}
    except BaseException as error:
        # Skip this runner's frames (named '<string>' under -c): the traceback starts in the user's source.
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == '<string>':
            tb = tb.tb_next
        outcome = {'ok': False, 'error': ''.join(traceback.format_exception(type(error), error, tb))}
    sys.stdout.flush()
    with open(sys.argv[1], 'w', encoding='utf-8') as out:
        json.dump(outcome, out)

main()
`;

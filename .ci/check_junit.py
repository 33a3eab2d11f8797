"""Fail CI unless pytest really ran tests (guards against 'no tests collected' slipping
through, e.g. a broken testpaths or marker expression)."""

import sys
import xml.etree.ElementTree as ET

MIN_TESTS = 200

root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
tests = int(suite.get("tests", 0))
skipped = int(suite.get("skipped", 0))
failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
ran = tests - skipped
print(f"{ran - failed} passed, {failed} failed")
if failed or ran < MIN_TESTS:
    print(
        f"CI check: expected at least {MIN_TESTS} executed tests and no failures", file=sys.stderr
    )
    sys.exit(1)

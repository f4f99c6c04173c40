"""README "Backend Communication" and "Modes": the modes other than inventory-only talk to Qualys, which needs a pod
and credentials (QUALYS_ACCESS_TOKEN, or QUALYS_CLIENT_ID and QUALYS_CLIENT_SECRET). After data collection,
get-report polls for the report: a first wait of 15 s, then up to --max-network-retries (10) retries, waiting from
--network-retry-wait-min (5s) doubling up to --network-retry-wait-max (120s)."""
import os
import time

from .cli import EXIT_INVALID_PARAMETER, fail, log, seconds

FIRST_WAIT_SECONDS = 15


def credentials(flags):
    """The token or client secret in use (for the leak scenarios), or exit 2 when there is none."""
    token = os.environ.get("QUALYS_ACCESS_TOKEN") or flags.get("--access-token")
    client_id = os.environ.get("QUALYS_CLIENT_ID") or flags.get("--client-id")
    client_secret = os.environ.get("QUALYS_CLIENT_SECRET") or flags.get("--client-secret")
    if not token and not (client_id and client_secret):
        fail(EXIT_INVALID_PARAMETER, "no credentials: set QUALYS_ACCESS_TOKEN (or QUALYS_CLIENT_ID and QUALYS_CLIENT_SECRET)")
    return token or client_secret


def poll_report(flags, ready_after, clock_scale):
    """Polls as the README describes until the backend has the report (ready_after seconds after collection) or the
    retries run out; True when the report came. clock_scale (scenarios.json "clockScale") shortens every wait for
    tests: one modelled second lasts clock_scale real seconds."""
    retries = int(flags.get("--max-network-retries", "10"))
    wait = seconds(flags.get("--network-retry-wait-min", "5s"))
    longest = seconds(flags.get("--network-retry-wait-max", "120s"))
    elapsed = FIRST_WAIT_SECONDS
    time.sleep(FIRST_WAIT_SECONDS * clock_scale)
    attempt = 0
    while elapsed < ready_after:
        if attempt >= retries:
            log("error", "vulnerability report not available", attempts=attempt + 1, waitedSeconds=elapsed)
            return False
        time.sleep(wait * clock_scale)
        elapsed += wait
        attempt += 1
        wait = min(wait * 2, longest)
    return True

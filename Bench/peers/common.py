"""Shared timing for the peer scripts: the same protocol as Bench/Harness/Measure.cs
(warm up, calibrate repetitions to a sample time, median of several samples)."""
import json
import sys
import time


def median_seconds(action, sample_time=0.05, samples=11):
    action()
    start = time.perf_counter()
    calibration = 0
    while time.perf_counter() - start < sample_time / 2 or calibration < 1:
        action()
        calibration += 1
    repetitions = max(1, int(calibration * sample_time / (time.perf_counter() - start)))
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(repetitions):
            action()
        times.append((time.perf_counter() - t) / repetitions)
    times.sort()
    return times[samples // 2]


def emit(results):
    """Writes the results as one JSON object on stdout, which the C# side parses."""
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")

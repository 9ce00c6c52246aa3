# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (tests only): records the wall time of every task whose name starts with
``Timed:``, from the task's start to its result, and writes them as JSON to $BENCH_TIMES_FILE.

Enabled only by tests/bench/bench_parsers.py (ANSIBLE_CALLBACK_PLUGINS / ANSIBLE_CALLBACKS_ENABLED).
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._started = None
        self._name = None
        self._times = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._name = task.get_name()
        self._started = time.perf_counter()

    def v2_runner_on_ok(self, result):
        if self._name and self._name.startswith("Timed:"):
            label = self._name.split(":", 1)[1].strip()
            self._times.setdefault(label, []).append(time.perf_counter() - self._started)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["BENCH_TIMES_FILE"], "w") as handle:
            json.dump(self._times, handle)

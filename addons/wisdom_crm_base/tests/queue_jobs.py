"""Performing the jobs trapped by queue_job's ``trap_jobs()`` the way its job runner does."""

from operator import attrgetter

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError


class TrappedJobsMixin:
    """For test cases whose code queues integration messages (``wisdom_enqueue``).

    The jobs run with the registry in test mode, as in production on a cursor of their own
    (``allow_commit`` of the job function), so a test sees what a job committed before it raised
    ``RetryableJobError`` and nothing of what queue_job rolled back. Their ``eta`` is ignored.
    """

    def perform_jobs_round(self, trap):
        """Perform the trapped jobs once. A job raising ``RetryableJobError`` is postponed (its
        ``eta`` set from the error's seconds) and stays trapped for the next round; one that queue_job
        gives up on calls its ``on_fail`` hook. Returns the postponed jobs."""
        jobs, trap.enqueued_jobs = trap.enqueued_jobs, []
        postponed = []
        with self.enter_registry_test_mode():
            for job in sorted(jobs, key=attrgetter("priority")):
                try:
                    job.perform()
                except RetryableJobError as error:
                    job.postpone(result=str(error), seconds=error.seconds)
                    postponed.append(job)
                except FailedJobError as error:
                    job.on_fail({"exc_name": type(error).__name__, "exc_message": str(error), "exc_info": None})
        trap.enqueued_jobs += postponed
        return postponed

    def run_jobs(self, trap, rounds=20):
        """Perform the trapped jobs, and their retries, until none is left."""
        for _round in range(rounds):
            if not trap.enqueued_jobs:
                return
            self.perform_jobs_round(trap)
        raise AssertionError(f"jobs still enqueued after {rounds} rounds")

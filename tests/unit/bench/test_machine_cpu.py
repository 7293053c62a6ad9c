"""The bench's whole-machine CPU share: busy time over all time of all cores, idle and iowait
being the only time not busy."""

from services.bench import busy_share, machine_cpu, machine_jiffies

BEFORE = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n"
AFTER = "cpu  250 10 90 900 60 5 5 0 0 0\ncpu0 125 5 45 450 30 2 3 0 0 0\n"


def test_busy_and_total_come_from_the_first_line() -> None:
    assert machine_jiffies(BEFORE) == (150, 1000)
    assert machine_jiffies(AFTER) == (360, 1320)


def test_the_share_is_busy_time_over_all_time_between_two_readings() -> None:
    assert busy_share(machine_jiffies(BEFORE), machine_jiffies(AFTER)) == round(210 / 320, 3)


def test_a_reading_of_this_machine_parses() -> None:
    busy, total = machine_cpu()
    assert 0 <= busy <= total and total > 0

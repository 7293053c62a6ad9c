"""A worker behind on a backlog holds what one poll and one fetch bring, not the backlog: faust
polls without a record limit and passes aiokafka no total fetch size unless told."""

from shared.settings import KafkaSettings
from shared.stream import make_app


def test_faust_workers_poll_and_fetch_within_the_settings() -> None:
    kafka = KafkaSettings(
        max_poll_records=700, fetch_max_bytes=2_000_000, fetch_partition_bytes=300_000
    )
    app = make_app("limits-test", kafka)
    assert app.conf.broker_max_poll_records == 700
    assert app.conf.consumer_max_fetch_size == 300_000
    # faust has no setting for the total; the consumer thread sets it on the consumer it makes
    assert app.conf.netral_fetch_max_bytes == 2_000_000

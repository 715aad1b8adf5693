/**
 * The remote-write sink: Prometheus remote-write 1.0 and 2.0 with two-phase commit.
 *
 * <h2>Path of a sample</h2>
 * <ol>
 *   <li>{@code RemoteWriteSinkWriter} buffers each {@link io.flinkruler.remotewrite.WriteBatch} per endpoint,
 *       after the endpoint's {@code write_relabel_configs}, and at each checkpoint encodes the buffer into
 *       requests ({@link io.flinkruler.remotewrite.RemoteWriteCommittable}) in the endpoint's
 *       {@code protobuf_message} format, at most {@code max_samples_per_send} samples each. Beyond
 *       {@code writerMaxBufferedSamples} per endpoint it encodes early, so between checkpoints a writer holds
 *       compressed requests (about 6 to 20 bytes per sample) rather than raw samples.</li>
 *   <li>{@code RemoteWriteDeliveryOperator} (the sink's pre-commit stage, uid {@code flink-ruler-remote-write-delivery}
 *       under the sink's uid) holds requests until their checkpoint completes, then hands them to their endpoint's
 *       {@code EndpointLane}. Held and queued requests are its checkpointed state: after a failure they are sent
 *       again (identical bodies), never lost. Flink's committer receives nothing.</li>
 *   <li>Each {@code EndpointLane} sends its requests one at a time, in order, on its own thread
 *       ({@code RequestDelivery}): retries of 5xx, 429 (unless {@code retry_on_http_429: false}), timeouts and
 *       network errors with exponential backoff and jitter between {@code min_backoff} and {@code max_backoff},
 *       a receiver's Retry-After taking precedence; fallback from 2.0 to 1.0 on a 415 (or a 2xx without
 *       {@code X-Prometheus-Remote-Write-Samples-Written}, an old receiver that ignored the content type);
 *       bisecting a 400 to drop only the series the receiver rejects; dropping other 4xx with the receiver's
 *       message in the log.</li>
 * </ol>
 *
 * <h2>Bounds and age (GEM's ruler.remote_write settings)</h2>
 * <ul>
 *   <li>Per endpoint and sink subtask at most {@code queue_config.capacity} samples (else
 *       {@code maxPendingSamplesPerEndpoint}, default 1,000,000) and {@code maxPendingBytesPerEndpoint} (64 MiB)
 *       are pending. When full, the overflow policy applies: {@code BACKPRESSURE} (default) waits, slowing the
 *       whole job to that endpoint's pace (checkpoints cannot complete while it waits, so a long outage ends in
 *       checkpoint timeouts and restarts from the last checkpoint, still without loss); {@code DROP_OLDEST} drops
 *       that endpoint's oldest requests that are older than {@code min_wal_time}, leaving other endpoints
 *       unaffected.</li>
 *   <li>{@code max_wal_time}: a request undelivered this long after it was prepared is dropped.
 *       {@code wal_truncate_frequency}: how often each lane checks the age of all its requests (so a request
 *       lives at most max_wal_time plus wal_truncate_frequency). {@code min_wal_time}: never dropped to make
 *       room before this age.</li>
 *   <li>{@code queue_config.sample_age_limit}: samples older than this (by timestamp) when sent are dropped.</li>
 * </ul>
 *
 * <h2>Metrics</h2>
 * Per endpoint under {@code remote_write_endpoint=<name, else URL without query>} (and {@code tenant=<X-Scope-OrgID>}):
 * counters {@code samplesSent}, {@code requestsSent}, {@code requestsFailed} (failed attempts),
 * {@code requestsRetried}, {@code requestsDropped}, {@code samplesDropped} and, per
 * {@code reason=rejected|invalid_series|sample_age_limit|max_wal_time|overflow}, {@code samplesDropped};
 * gauges {@code pendingRequests}, {@code pendingSamples}, {@code pendingBytes}, {@code lastSuccessfulSendTimeMs};
 * histogram {@code requestDurationMs} (per attempt). The writer counts {@code invalidSamplesDropped},
 * {@code samplesWithoutTarget}, {@code samplesDroppedByRelabeling} and shows {@code pendingSamples}.
 *
 * <h2>Limits</h2>
 * Requests of one endpoint on different sink subtasks are independent (a series always goes to one subtask);
 * after a change of parallelism the pending requests are spread over the new subtasks, so only across such a
 * rescale can a series' samples arrive out of order. Each endpoint with pending requests uses one thread per
 * subtask.
 */
package io.flinkruler.remotewrite;

package io.flinkruler.remotewrite;

import org.apache.flink.api.connector.sink2.Committer;

/** A commit request as Flink's committer operator hands it over, remembering what the committer signalled. */
final class TestCommitRequest<T> implements Committer.CommitRequest<T> {
    enum State { PENDING, FAILED_KNOWN, FAILED_UNKNOWN, RETRY_LATER, ALREADY_COMMITTED }

    private final T committable;
    private State state = State.PENDING;
    private int retries;
    private Throwable failure;

    TestCommitRequest(T committable) {
        this.committable = committable;
    }

    /** What Flink does before calling commit again with the requests that asked for a retry. */
    void prepareRetry() {
        if (state == State.RETRY_LATER) {
            state = State.PENDING;
            retries++;
        }
    }

    State state() { return state; }
    Throwable failure() { return failure; }

    @Override public T getCommittable() { return committable; }
    @Override public int getNumberOfRetries() { return retries; }
    @Override public void signalFailedWithKnownReason(Throwable t) { state = State.FAILED_KNOWN; failure = t; }
    @Override public void signalFailedWithUnknownReason(Throwable t) { state = State.FAILED_UNKNOWN; failure = t; }
    @Override public void retryLater() { state = State.RETRY_LATER; }
    @Override public void updateAndRetryLater(T committable) { throw new UnsupportedOperationException(); }
    @Override public void signalAlreadyCommitted() { state = State.ALREADY_COMMITTED; }
}

package dev.capstan.gateway;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request routed to a revision, REST or gRPC alike: it waits for a replica slot (at once when
 * one is free, in the activator otherwise) and exactly one of a grant, its expiry, a full buffer,
 * its service's removal or its client leaving decides what happens to it; when an update removes
 * only its revision, it waits on for one the service routes to now. It is counted in the
 * revision's load and metrics from arrival to {@link #finish}.
 */
abstract class RoutedRequest implements Waiter {
    /** Tries per request: the first replica and at most two others. */
    static final int MAX_ATTEMPTS = 3;

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int GONE = 2;

    /** Its revision; another of the service's only while it waits, when an update removes this one ({@link #moveTo}). */
    volatile RevisionState revision;
    /** The event loop of the client's connection: the request's timers and its answer run there. */
    final EventLoop loop;
    private final long timeoutNanos;
    private final long start = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final AtomicInteger finished = new AtomicInteger();
    private volatile ScheduledFuture<?> timer;
    private ScheduledFuture<?> answerTimer;
    private int attempts;

    RoutedRequest(RevisionState revision, EventLoop loop, long timeoutNanos) {
        this.revision = revision;
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
    }

    /** Joins the revision: granted a replica now, or waiting with a timer. */
    final void start() {
        revision.load.started(start);
        revision.acquire(this);
        if (state.get() == WAITING) {
            timer = loop.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Has a reserved slot on {@code replica}: send the request there. Any thread. */
    abstract void granted(Replica replica);

    /** Could not be served (buffer full, waited too long, revision removed): answer 503 / UNAVAILABLE. Any thread. */
    abstract void refuse(String why);

    @Override
    public final boolean grant(Replica replica) {
        if (!state.compareAndSet(WAITING, GRANTED)) {
            return false;
        }
        cancelTimer();
        granted(replica);
        return true;
    }

    @Override
    public final boolean gone() {
        return state.get() == GONE;
    }

    @Override
    public final void rejectFull(int buffer) {
        if (state.compareAndSet(WAITING, GONE)) {
            refuse("too many requests are waiting for a replica of " + revision.key + " (" + buffer + "); retry later");
        }
    }

    @Override
    public final void moveTo(RevisionState next) {
        synchronized (this) {
            if (state.get() != WAITING || finished.get() > 0) {
                return;
            }
            long now = System.nanoTime();
            revision.load.finished(now);
            revision = next;
            next.load.started(now);
        }
        next.acquire(this);
    }

    @Override
    public final void revisionRemoved() {
        if (state.compareAndSet(WAITING, GONE)) {
            cancelTimer();
            refuse("revision " + revision.key + " stopped taking traffic while the request waited; retry");
        }
    }

    private void expire() {
        if (state.compareAndSet(WAITING, GONE)) {
            revision.remove(this);
            refuse("no replica of " + revision.key + " became ready within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms; retry later");
        }
    }

    /** The client left: true when the request was still waiting (it is out of the buffer now). */
    final boolean leaveQueue() {
        if (!state.compareAndSet(WAITING, GONE)) {
            return false;
        }
        revision.remove(this);
        cancelTimer();
        return true;
    }

    /**
     * {@code failed} never saw the request: gives its slot back and reserves one on another replica
     * of the revision; null when none has room or the tries are used up.
     */
    final Replica another(Replica failed) {
        attempts++;
        Replica other = attempts < MAX_ATTEMPTS ? revision.reserve(failed) : null;
        revision.release(failed);
        return other;
    }

    /** Counts the request once, with the HTTP status that ended it. */
    final void finish(int code) {
        RevisionState counted;
        synchronized (this) { // not while moveTo carries the request's load to another revision
            if (finished.getAndIncrement() > 0) {
                return;
            }
            counted = revision;
        }
        long now = System.nanoTime();
        counted.load.finished(now);
        counted.metrics.answered(code, now - start);
        ended();
    }

    /** Frees what the request holds, once it is counted. */
    void ended() {
    }

    /** Bounds the wait for a replica's answer: {@code expired} runs on the loop after {@code nanos} unless cancelled first. On the loop. */
    final void startAnswerTimer(Runnable expired, long nanos) {
        cancelAnswerTimer();
        answerTimer = loop.schedule(expired, nanos, TimeUnit.NANOSECONDS);
    }

    /** On the loop. */
    final void cancelAnswerTimer() {
        if (answerTimer != null) {
            answerTimer.cancel(false);
            answerTimer = null;
        }
    }

    /** Runs {@code task} on the request's loop: at once when already there; not at all once the gateway has stopped. */
    final void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                // the gateway is stopping: its connections close with it
            }
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}

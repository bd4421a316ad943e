package dev.capstan.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's side of {@link GatewayFeedback}, on a thread of its own so the control plane's
 * work never runs on an event loop: each second, the load of every revision that had traffic;
 * and, at once, a revision at zero's request for a replica (at most once a second per revision).
 */
final class LoadReporter implements AutoCloseable {
    static final long INTERVAL_MILLIS = 1_000;

    private final GatewayFeedback feedback;
    private final Supplier<List<RevisionState>> revisions;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capstan-gateway-feedback");
        t.setDaemon(true);
        return t;
    });

    LoadReporter(GatewayFeedback feedback, Supplier<List<RevisionState>> revisions, Clock clock) {
        this.feedback = feedback;
        this.revisions = revisions;
        this.clock = clock;
        thread.scheduleAtFixedRate(this::report, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Asks for a replica of {@code revision} now, off the caller's thread. */
    void scaleFromZero(RevisionKey revision) {
        thread.execute(() -> {
            try {
                feedback.scaleFromZero(revision);
            } catch (RuntimeException e) {
                System.err.println("capstan-gateway: asking for a replica of " + revision + " failed: " + e);
            }
        });
    }

    private void report() {
        try {
            long now = System.nanoTime();
            List<RevisionLoad> loads = new ArrayList<>();
            for (RevisionState revision : revisions.get()) {
                LoadMeter.Sample sample = revision.load.sample(now);
                int waiting = revision.waiting();
                if (!sample.idle() || waiting > 0) {
                    loads.add(new RevisionLoad(revision.key, clock.instant(), sample.averageConcurrency(), sample.requestsPerSecond(), waiting));
                }
            }
            if (!loads.isEmpty()) {
                feedback.reportLoad(loads);
            }
        } catch (RuntimeException e) {
            System.err.println("capstan-gateway: reporting load failed: " + e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

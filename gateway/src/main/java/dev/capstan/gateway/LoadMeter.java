package dev.capstan.gateway;

/**
 * One revision's load: requests in flight (waiting ones included) integrated over time, and
 * requests started, both since the last {@link #sample}. Cheap enough for every request.
 */
final class LoadMeter {
    /** One sample: the time-averaged concurrency and the request rate over the interval. */
    record Sample(double averageConcurrency, double requestsPerSecond, long inFlight) {
        boolean idle() {
            return averageConcurrency == 0 && requestsPerSecond == 0 && inFlight == 0;
        }
    }

    private long inFlight;
    private long lastChange;
    private long since;
    /** In-flight requests × nanoseconds since {@link #since}. */
    private double area;
    private long started;

    LoadMeter(long now) {
        this.lastChange = now;
        this.since = now;
    }

    synchronized void started(long now) {
        advance(now);
        inFlight++;
        started++;
    }

    synchronized void finished(long now) {
        advance(now);
        inFlight--;
    }

    synchronized long inFlight() {
        return inFlight;
    }

    /** The figures since the last sample, and a new interval starting now. */
    synchronized Sample sample(long now) {
        advance(now);
        double seconds = Math.max(1, now - since) / 1e9;
        Sample sample = new Sample(area / 1e9 / seconds, started / seconds, inFlight);
        area = 0;
        started = 0;
        since = now;
        return sample;
    }

    private void advance(long now) {
        if (now > lastChange) {
            area += (double) inFlight * (now - lastChange);
            lastChange = now;
        }
    }
}

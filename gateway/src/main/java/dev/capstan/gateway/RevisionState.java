package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One revision as the gateway routes it: its ready replicas, the requests waiting for one (the
 * activator's buffer while it is at zero, or while every replica is at its container concurrency),
 * its load meter and metrics. Picking a replica is power-of-two-choices on requests outstanding,
 * falling back to the least loaded one with room.
 */
final class RevisionState {
    private static final Replica[] NONE = new Replica[0];

    final RevisionKey key;
    final LoadMeter load;
    final RevisionMetrics metrics = new RevisionMetrics();
    private final int buffer;
    /** At most this often a revision at zero asks again for a replica while requests keep arriving. */
    static final long ASK_AGAIN_NANOS = 1_000_000_000L;

    /**
     * Added to a route's own timeout: the replica enforces that timeout itself and answers with why,
     * so the gateway gives up only on a replica that does not answer even then.
     */
    static final Duration REPLICA_TIMEOUT_GRACE = Duration.ofSeconds(5);

    private final java.util.function.Consumer<RevisionKey> scaleFromZero;
    private final long defaultAnswerNanos;
    private volatile long answerNanos;
    private final java.util.concurrent.atomic.AtomicLong lastAsked = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean asked;
    private volatile Replica[] replicas = NONE;
    private volatile int containerConcurrency;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>(); // guarded by this
    private boolean retired; // guarded by this
    private volatile int waitingCount;

    RevisionState(RevisionKey key, int buffer, Duration replicaTimeout, java.util.function.Consumer<RevisionKey> scaleFromZero) {
        this.key = key;
        this.buffer = buffer;
        this.defaultAnswerNanos = replicaTimeout.toNanos();
        this.answerNanos = defaultAnswerNanos;
        this.scaleFromZero = scaleFromZero;
        this.load = new LoadMeter(System.nanoTime());
    }

    /** Grants {@code waiter} a replica now, queues it, or rejects it when the buffer is full. */
    void acquire(Waiter waiter) {
        if (waitingCount == 0) {
            Replica replica = reserve(null);
            if (replica != null) {
                if (!waiter.grant(replica)) {
                    release(replica);
                }
                return;
            }
        }
        boolean queued;
        boolean removed;
        synchronized (this) {
            removed = retired;
            queued = !removed && waiting.size() < buffer;
            if (queued) {
                waiting.addLast(waiter);
                waitingCount = waiting.size();
            }
        }
        if (removed) {
            waiter.revisionRemoved(); // picked from a route table an update has just replaced
            return;
        }
        if (!queued) {
            waiter.rejectFull(buffer);
            return;
        }
        if (replicas.length == 0) {
            askForReplica();
        }
        drain();
    }

    /** The first waiter at zero asks at once; later ones again only after {@link #ASK_AGAIN_NANOS}. */
    private void askForReplica() {
        long now = System.nanoTime();
        long last = lastAsked.get();
        if ((!asked || now - last >= ASK_AGAIN_NANOS) && lastAsked.compareAndSet(last, now)) {
            asked = true;
            scaleFromZero.accept(key);
        }
    }

    /**
     * Reserves a slot on a replica other than {@code exclude}: the less loaded of two picked at
     * random, else the least loaded with room; null when none has room.
     */
    Replica reserve(Replica exclude) {
        Replica[] all = replicas;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        int limit = containerConcurrency;
        if (n > 1) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int a = random.nextInt(n);
            int b = random.nextInt(n - 1);
            if (b >= a) {
                b++;
            }
            Replica first = all[a];
            Replica second = all[b];
            Replica better = first == exclude || (second != exclude && second.outstanding.get() < first.outstanding.get()) ? second : first;
            if (better != exclude && take(better, limit)) {
                return better;
            }
        }
        while (true) {
            Replica least = null;
            int fewest = Integer.MAX_VALUE;
            for (Replica replica : all) {
                int outstanding = replica.outstanding.get();
                if (replica != exclude && outstanding < fewest && (limit == 0 || outstanding < limit)) {
                    least = replica;
                    fewest = outstanding;
                }
            }
            if (least == null) {
                return null;
            }
            if (take(least, limit)) {
                return least;
            }
        }
    }

    private static boolean take(Replica replica, int limit) {
        if (limit == 0) {
            replica.outstanding.incrementAndGet();
            return true;
        }
        for (int now = replica.outstanding.get(); now < limit; now = replica.outstanding.get()) {
            if (replica.outstanding.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A request on {@code replica} has ended: its slot goes to the first waiter, if any. */
    void release(Replica replica) {
        replica.outstanding.decrementAndGet();
        if (waitingCount > 0) {
            drain();
        }
    }

    /** Hands free slots to waiters, in arrival order. */
    private void drain() {
        while (true) {
            Waiter next;
            Replica replica;
            synchronized (this) {
                while (!waiting.isEmpty() && waiting.peekFirst().gone()) {
                    waiting.pollFirst();
                }
                waitingCount = waiting.size();
                if (waiting.isEmpty()) {
                    return;
                }
                replica = reserve(null);
                if (replica == null) {
                    return;
                }
                next = waiting.pollFirst();
                waitingCount = waiting.size();
            }
            if (!next.grant(replica)) {
                replica.outstanding.decrementAndGet();
            }
        }
    }

    /** Drops a waiter that expired or whose client went away. */
    void remove(Waiter waiter) {
        synchronized (this) {
            waiting.remove(waiter);
            waitingCount = waiting.size();
        }
    }

    int waiting() {
        return waitingCount;
    }

    boolean atZero() {
        return replicas.length == 0;
    }

    /**
     * How long a replica may take over an answer: the route's timeout and a grace, or the
     * gateway's bound when the route gives none.
     */
    long answerTimeoutNanos() {
        return answerNanos;
    }

    /**
     * Takes the route table's ready replicas, container concurrency and timeout, keeping the state
     * of the replicas it already had; returns the ones no longer listed. Waiters get the new
     * replicas' slots.
     */
    List<Replica> assign(List<ReplicaEndpoint> ready, int concurrency, Duration timeout, Upstreams upstreams) {
        Map<ReplicaEndpoint, Replica> old = new HashMap<>();
        for (Replica replica : replicas) {
            old.put(replica.endpoint, replica);
        }
        Replica[] next = new Replica[ready.size()];
        for (int i = 0; i < next.length; i++) {
            Replica kept = old.remove(ready.get(i));
            next[i] = kept != null ? kept : new Replica(ready.get(i), upstreams);
        }
        containerConcurrency = concurrency;
        answerNanos = timeout.isZero() ? defaultAnswerNanos : timeout.plus(REPLICA_TIMEOUT_GRACE).toNanos();
        replicas = next;
        drain();
        return new ArrayList<>(old.values());
    }

    /** No longer routed: every replica retires and every waiter is handed back to be answered. */
    List<Waiter> retire() {
        for (Replica replica : replicas) {
            replica.retire();
        }
        replicas = NONE;
        synchronized (this) {
            retired = true;
            List<Waiter> all = new ArrayList<>(waiting);
            waiting.clear();
            waitingCount = 0;
            return all;
        }
    }
}

package dev.capstan.serve.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The connections a server holds open, across its listeners, and the cap on them. A connection
 * accepted at the cap takes the place of the oldest idle one (shed: closed); with none idle it is
 * closed at once. Each listener says what idle means for its protocol; a connection not yet set up
 * by its event loop is idle whatever the protocol.
 *
 * <p>A shed connection is closed under its handlers, not through them: gRPC's handler answers a
 * close with a graceful shutdown (GOAWAY, then a PING it waits up to 10 s for), which would keep the
 * descriptor of a peer that never reads. A shed connection holds its descriptor until its event loop
 * gets to the close, behind the set-up of connections accepted before it; it stays in
 * {@link #count()} until then but no longer counts against the cap. While
 * {@value #MAX_CLOSING} or more such closes are pending, listeners stop accepting
 * ({@link #closesBehind()}), so descriptors stay within the cap plus that many.
 */
public final class OpenConnections {
    /** Shed connections whose close may be pending before listeners wait for them. */
    static final int MAX_CLOSING = 16;

    private enum Phase {
        /** Accepted, not yet handed to an event loop: nothing can close it from here. */
        ACCEPTED,
        OPEN,
        /** Being closed to make room. */
        SHED,
        /** Its descriptor is closed. */
        RELEASED
    }

    private record Entry(long order, Predicate<Channel> idle, AtomicReference<Phase> phase) {
    }

    private final int cap;
    private final Map<Channel, Entry> open = new ConcurrentHashMap<>();
    /** The open connections by the order they were accepted in, oldest first. */
    private final NavigableMap<Long, Channel> byAge = new ConcurrentSkipListMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger closing = new AtomicInteger();
    private final Queue<Runnable> waitingForCloses = new ConcurrentLinkedQueue<>();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public OpenConnections(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("connection cap must be at least 1, not " + cap);
        }
        this.cap = cap;
    }

    /** A handler for one listening channel: admits what it accepts, and backs off when accepting fails. */
    public ChannelHandler admission(Predicate<Channel> idle) {
        return new ListenerAdmission(this, idle);
    }

    /**
     * Counts a newly accepted connection, shedding the oldest idle one at the cap; false when it
     * must be refused. Once its listener has handed it to an event loop, {@link #handedOver}.
     */
    boolean admit(Channel connection, Predicate<Channel> idle) {
        if (open.size() - closing.get() >= cap && !shedOldestIdle()) {
            refused.incrementAndGet();
            return false;
        }
        Entry entry = new Entry(accepted.incrementAndGet(), idle, new AtomicReference<>(Phase.ACCEPTED));
        open.put(connection, entry);
        byAge.put(entry.order(), connection);
        connection.closeFuture().addListener(closed -> released(connection, entry));
        return true;
    }

    /** The connection has its event loop (its set-up may still be queued there): from now on it may be shed. */
    void handedOver(Channel connection) {
        Entry entry = open.get(connection);
        if (entry != null) {
            entry.phase().compareAndSet(Phase.ACCEPTED, Phase.OPEN);
        }
    }

    /**
     * Closes the idle connection accepted first; false when no connection is idle. Walks from the
     * oldest and stops at the first idle one, so a busy cap does not cost a scan of every connection.
     */
    boolean shedOldestIdle() {
        for (Channel candidate : byAge.values()) {
            Entry entry = open.get(candidate);
            if (entry != null && sheddable(candidate, entry)
                    && entry.phase().compareAndSet(Phase.OPEN, Phase.SHED)) { // else it closed meanwhile: look on
                closing.incrementAndGet();
                shed.incrementAndGet();
                closeAtOnce(candidate);
                return true;
            }
        }
        return false;
    }

    /** Handed over, not shed, open, and idle: not set up yet, or idle by its protocol. */
    private static boolean sheddable(Channel connection, Entry entry) {
        return entry.phase().get() == Phase.OPEN && connection.isOpen()
                && (!connection.isRegistered() || entry.idle().test(connection));
    }

    /**
     * Closes the socket on the connection's event loop without passing the close through its
     * handlers (they still see it go inactive), whatever the protocol would do on close.
     */
    private static void closeAtOnce(Channel connection) {
        connection.eventLoop().execute(() -> connection.unsafe().close(connection.unsafe().voidPromise()));
    }

    private void released(Channel connection, Entry entry) {
        open.remove(connection, entry);
        byAge.remove(entry.order());
        if (entry.phase().getAndSet(Phase.RELEASED) == Phase.SHED && closing.decrementAndGet() < MAX_CLOSING) {
            runWaitingForCloses();
        }
    }

    /** True while {@value #MAX_CLOSING} or more shed connections still hold their descriptors. */
    boolean closesBehind() {
        return closing.get() >= MAX_CLOSING;
    }

    /** Runs {@code resume} (on whichever thread completes a close) once fewer than {@value #MAX_CLOSING} closes are pending. */
    void whenClosesCatchUp(Runnable resume) {
        waitingForCloses.add(resume);
        if (!closesBehind()) {
            runWaitingForCloses();
        }
    }

    private void runWaitingForCloses() {
        for (Runnable resume = waitingForCloses.poll(); resume != null; resume = waitingForCloses.poll()) {
            resume.run();
        }
    }

    public int cap() {
        return cap;
    }

    /** Connections whose descriptors are open, shed ones included until their close completes. */
    public int count() {
        return open.size();
    }

    /** Idle connections closed to make room. */
    public long shedTotal() {
        return shed.get();
    }

    /** Connections closed as soon as accepted: at the cap, with none idle. */
    public long refusedTotal() {
        return refused.get();
    }
}

package dev.capstan.serve.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The connections a server holds open, across its listeners, and the cap on them. A connection
 * accepted at the cap takes the place of the oldest idle one (shed: closed); with none idle it is
 * closed at once. Each listener says what idle means for its protocol.
 */
public final class OpenConnections {
    private record Entry(long order, Predicate<Channel> idle) {
    }

    private final int cap;
    private final Map<Channel, Entry> open = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
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

    /** Takes on a newly accepted connection, shedding the oldest idle one at the cap; false when it must be refused. */
    boolean admit(Channel connection, Predicate<Channel> idle) {
        if (open.size() >= cap && !shedOldestIdle()) {
            refused.incrementAndGet();
            return false;
        }
        open.put(connection, new Entry(accepted.incrementAndGet(), idle));
        connection.closeFuture().addListener(closed -> open.remove(connection));
        return true;
    }

    /** Closes the idle connection accepted first; false when no connection is idle. */
    boolean shedOldestIdle() {
        Channel oldest = null;
        long oldestOrder = Long.MAX_VALUE;
        for (Map.Entry<Channel, Entry> e : open.entrySet()) {
            if (e.getValue().order() < oldestOrder && e.getKey().isOpen() && e.getValue().idle().test(e.getKey())) {
                oldest = e.getKey();
                oldestOrder = e.getValue().order();
            }
        }
        if (oldest == null || open.remove(oldest) == null) {
            return false;
        }
        shed.incrementAndGet();
        oldest.close();
        return true;
    }

    public int cap() {
        return cap;
    }

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

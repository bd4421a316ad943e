package dev.capstan.gateway;

import dev.capstan.core.serving.ServiceKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One service's traffic split: a table of 100 slots filled by smooth weighted round robin over its
 * revisions' percents, walked in turn, so every 100 consecutive requests split exactly by percent
 * and the revisions interleave (20 % is every fifth request, not a burst of twenty).
 */
final class ServiceState {
    static final int SLOTS = 100;

    final ServiceKey key;
    final List<RevisionState> routed;
    private final RevisionState[] slots;
    private final AtomicLong next;

    /** {@code next} carries the walk on from the service's previous table, so an update does not restart it. */
    ServiceState(ServiceKey key, List<RevisionState> revisions, int[] percents, AtomicLong next) {
        this.key = key;
        this.next = next;
        this.routed = List.copyOf(revisions);
        this.slots = new RevisionState[SLOTS];
        int[] current = new int[percents.length];
        for (int slot = 0; slot < SLOTS; slot++) {
            int best = -1;
            for (int i = 0; i < percents.length; i++) {
                current[i] += percents[i];
                if (percents[i] > 0 && (best < 0 || current[i] > current[best])) {
                    best = i;
                }
            }
            current[best] -= SLOTS;
            slots[slot] = revisions.get(best);
        }
    }

    AtomicLong walk() {
        return next;
    }

    /** The revision the next request goes to. */
    RevisionState pick() {
        return slots[(int) Math.floorMod(next.getAndIncrement(), (long) SLOTS)];
    }

    /** Ready when a revision that takes traffic has a ready replica. */
    boolean ready() {
        for (RevisionState revision : slots) {
            if (!revision.atZero()) {
                return true;
            }
        }
        return false;
    }
}

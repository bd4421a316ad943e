package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.core.serving.RevisionKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A revision's slots and waiters, against route table updates. */
class RevisionStateTest {
    @Test
    void aRequestForARevisionAnUpdateHasJustRemovedIsAnsweredAtOnceNotLeftToTimeOut() {
        List<String> asked = new ArrayList<>();
        RevisionState revision = new RevisionState(new RevisionKey("team", "iris", "iris-predictor-00001"), 10,
                GatewayLimits.DEFAULT_REPLICA_TIMEOUT, key -> asked.add(key.revision()));
        revision.retire(); // the update that removed it ran between the request picking it and joining it
        TestingWaiter waiter = new TestingWaiter();
        revision.acquire(waiter);
        assertEquals(List.of("revisionRemoved"), waiter.events);
        assertEquals(0, revision.waiting());
        assertEquals(List.of(), asked, "no replica is asked for a revision no longer routed");
    }

    /** Records what the revision tells it. */
    static final class TestingWaiter implements Waiter {
        final List<String> events = new ArrayList<>();

        @Override
        public boolean grant(Replica replica) {
            events.add("granted");
            return true;
        }

        @Override
        public void rejectFull(int buffer) {
            events.add("full");
        }

        @Override
        public boolean gone() {
            return false;
        }

        @Override
        public void revisionRemoved() {
            events.add("revisionRemoved");
        }

        @Override
        public void moveTo(RevisionState next) {
            events.add("moveTo " + next.key.revision());
        }
    }
}
